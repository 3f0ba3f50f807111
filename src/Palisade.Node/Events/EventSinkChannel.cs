using System.Threading.Channels;
using Palisade.Node.Metrics;
using Prometheus;

namespace Palisade.Node.Events;

/// <summary>
/// One sink's bounded queue and the background task that hands it batches. <see cref="TryEnqueue"/> never blocks: a
/// full queue drops the event (<c>queue_full</c>); a batch the sink fails to write is dropped too (<c>write_failed</c>).
/// </summary>
public sealed class EventSinkChannel : IAsyncDisposable
{
    /// <summary>Most events handed to a sink at once (one transaction for the SQLite attack log).</summary>
    public const int MaxBatch = 256;

    private readonly Channel<INodeEvent> _channel;
    private readonly INodeEventSink _sink;
    private readonly Counter.Child _queueFull;
    private readonly Counter.Child _writeFailed;
    private readonly Task _loop;

    public EventSinkChannel(INodeEventSink sink, int capacity, NodeMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(metrics);
        _sink = sink;
        _queueFull = metrics.EventsDropped(sink.Name, EventDropReason.QueueFull);
        _writeFailed = metrics.EventsDropped(sink.Name, EventDropReason.WriteFailed);
        _channel = Channel.CreateBounded<INodeEvent>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _loop = Task.Run(WriteLoopAsync);
    }

    public INodeEventSink Sink => _sink;

    /// <summary>Queues the event; never blocks. Returns false (and counts a drop) when the queue is full or closed.</summary>
    public bool TryEnqueue(INodeEvent nodeEvent)
    {
        if (_channel.Writer.TryWrite(nodeEvent))
        {
            return true;
        }

        _queueFull.Inc();
        return false;
    }

    /// <summary>Stops taking events and waits until the queued ones are handed to the sink.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _loop;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<INodeEvent>(MaxBatch);
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var nodeEvent))
            {
                batch.Add(nodeEvent);
            }

            bool written;
            try
            {
                written = await _sink.WriteAsync(batch, CancellationToken.None);
            }
#pragma warning disable CA1031 // A sink must not throw; if one does anyway, its batch is dropped and counted, and the queue goes on.
            catch (Exception)
#pragma warning restore CA1031
            {
                written = false;
            }

            if (!written)
            {
                _writeFailed.Inc(batch.Count);
            }

            batch.Clear();
        }
    }
}
