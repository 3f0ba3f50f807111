using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Palisade.Node.Metrics;

namespace Palisade.Node.Events;

/// <summary>
/// Takes events (attacks, protocol violations) off the request path: <see cref="Publish"/> only enqueues into a
/// bounded channel (a full queue drops the event and counts it), and one background task writes JSON lines to the
/// output (standard output in production).
/// </summary>
public sealed partial class NodeEventLog : IAsyncDisposable
{
    private const int Capacity = 10_000;

    private readonly Channel<INodeEvent> _channel;
    private readonly Stream _output;
    private readonly NodeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Task _writer;

    public NodeEventLog(Stream output, NodeMetrics metrics, ILogger<NodeEventLog> logger)
    {
        _output = output;
        _metrics = metrics;
        _logger = logger;
        _channel = Channel.CreateBounded<INodeEvent>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Queues the event; never blocks. Returns false (and counts a drop) when the queue is full.</summary>
    public bool Publish(INodeEvent nodeEvent)
    {
        if (_channel.Writer.TryWrite(nodeEvent))
        {
            return true;
        }

        _metrics.CountEventDropped();
        return false;
    }

    /// <summary>Stops taking events and waits until the queued ones are written.</summary>
    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (reader.TryRead(out var nodeEvent))
            {
                nodeEvent.WriteJsonLine(buffer);
                if (buffer.WrittenCount >= 64 * 1024)
                {
                    await FlushAsync(buffer);
                }
            }

            await FlushAsync(buffer);
        }
    }

    private async Task FlushAsync(ArrayBufferWriter<byte> buffer)
    {
        try
        {
            await _output.WriteAsync(buffer.WrittenMemory);
            await _output.FlushAsync();
        }
        catch (IOException e)
        {
            Log.EventWriteFailed(_logger, e);
        }
        finally
        {
            buffer.ResetWrittenCount();
        }
    }
}
