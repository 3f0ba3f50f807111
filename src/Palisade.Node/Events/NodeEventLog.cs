using Microsoft.Extensions.Logging;
using Palisade.Node.Metrics;

namespace Palisade.Node.Events;

/// <summary>
/// Takes events (attacks, protocol violations) off the request path and fans each one out to its sinks (JSON lines
/// on standard output; the SQLite attack log when configured). <see cref="Publish"/> only enqueues into each sink's
/// own bounded queue: a full queue drops the event for that sink and counts it, so a slow or failed sink slows
/// neither the others nor the requests.
/// </summary>
public sealed class NodeEventLog : IAsyncDisposable
{
    /// <summary>Events each sink's queue holds before it drops.</summary>
    public const int Capacity = 10_000;

    private readonly EventSinkChannel[] _queues;

    /// <summary>One sink: JSON lines to <paramref name="output"/>.</summary>
    public NodeEventLog(Stream output, NodeMetrics metrics, ILogger<NodeEventLog> logger)
        : this(metrics, [new StreamEventSink(output, logger)])
    {
    }

    public NodeEventLog(NodeMetrics metrics, IEnumerable<INodeEventSink> sinks)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        _queues = sinks.Select(sink => new EventSinkChannel(sink, Capacity, metrics)).ToArray();
    }

    /// <summary>Queues the event for every sink; never blocks. Returns false when any sink's queue dropped it.</summary>
    public bool Publish(INodeEvent nodeEvent)
    {
        var all = true;
        foreach (var queue in _queues)
        {
            all &= queue.TryEnqueue(nodeEvent);
        }

        return all;
    }

    /// <summary>
    /// Stops taking events and waits until the queued ones are handed to their sinks, all at once and each for at most
    /// <see cref="EventSinkChannel.DrainTimeout"/>: a stalled sink does not hold the node's shutdown.
    /// </summary>
    public async ValueTask DisposeAsync() =>
        await Task.WhenAll(_queues.Select(queue => queue.DisposeAsync().AsTask()));
}
