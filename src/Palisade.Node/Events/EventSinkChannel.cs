using System.Threading.Channels;
using Palisade.Node.Metrics;
using Prometheus;

namespace Palisade.Node.Events;

/// <summary>
/// One sink's bounded queue and the background task that hands it batches. <see cref="TryEnqueue"/> never blocks: a
/// full queue drops the event (<c>queue_full</c>); the events of a batch the sink fails to write are dropped too
/// (<c>write_failed</c>). Stopping waits at most <see cref="DrainTimeout"/> for the queue to drain, then gives up the
/// batch being written and counts the events still queued as <c>write_failed</c>.
/// </summary>
public sealed class EventSinkChannel : IAsyncDisposable
{
    /// <summary>Most events handed to a sink at once (one transaction for the SQLite attack log).</summary>
    public const int MaxBatch = 256;

    /// <summary>How long <see cref="DisposeAsync"/> waits for the queued events to be written before it gives them up.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<INodeEvent> _channel;
    private readonly INodeEventSink _sink;
    private readonly Counter.Child _queueFull;
    private readonly Counter.Child _writeFailed;
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _drainTimeout;
    private readonly Task _loop;

    public EventSinkChannel(INodeEventSink sink, int capacity, NodeMetrics metrics, TimeSpan? drainTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(metrics);
        _sink = sink;
        _drainTimeout = drainTimeout ?? DrainTimeout;
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

    /// <summary>
    /// Stops taking events and waits until the queued ones are handed to the sink, for at most the drain timeout:
    /// then the sink's write is cancelled and what is left is counted as dropped.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        try
        {
            await _loop.WaitAsync(_drainTimeout);
        }
        catch (TimeoutException)
        {
            await _stop.CancelAsync();
            await _loop;
        }

        _stop.Dispose();
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

            var written = 0;
            if (!_stop.IsCancellationRequested)
            {
                try
                {
                    written = Math.Clamp(await _sink.WriteAsync(batch, _stop.Token), 0, batch.Count);
                }
#pragma warning disable CA1031 // A sink must not throw; if one does anyway, its batch is dropped and counted, and the queue goes on.
                catch (Exception)
#pragma warning restore CA1031
                {
                    written = 0;
                }
            }

            if (written < batch.Count)
            {
                _writeFailed.Inc(batch.Count - written);
            }

            batch.Clear();
        }
    }
}
