namespace Palisade.Node.Events;

/// <summary>
/// Somewhere events are written (standard output, the SQLite attack log). Each sink is fed by its own bounded queue
/// (<see cref="EventSinkChannel"/>), so a slow or failing sink never slows another one nor the request path.
/// </summary>
public interface INodeEventSink
{
    /// <summary>The <c>sink</c> label of <c>palisade_events_dropped_total</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Writes a batch of events. Never throws for a write failure: returns false, and the queue counts the batch as
    /// dropped (<c>write_failed</c>). The sink logs the failure itself and tries again with the next batch.
    /// </summary>
    ValueTask<bool> WriteAsync(IReadOnlyList<INodeEvent> batch, CancellationToken cancellationToken);
}
