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
    /// Writes a batch of events and returns how many of them it wrote. Never throws for a write failure: the queue
    /// counts exactly the events not written as dropped (<c>write_failed</c>). The sink logs the failure itself and
    /// tries again with the next batch. <paramref name="cancellationToken"/> is cancelled when the node stops and the
    /// sink has had its time to drain: the sink then gives up the batch.
    /// </summary>
    ValueTask<int> WriteAsync(IReadOnlyList<INodeEvent> batch, CancellationToken cancellationToken);
}
