using System.Buffers;
using Microsoft.Extensions.Logging;

namespace Palisade.Node.Events;

/// <summary>Writes events as JSON lines to a stream (standard output in production): the <c>stdout</c> sink.</summary>
public sealed partial class StreamEventSink : INodeEventSink
{
    private readonly Stream _output;
    private readonly ILogger _logger;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public StreamEventSink(Stream output, ILogger logger)
    {
        _output = output;
        _logger = logger;
    }

    public string Name => "stdout";

    public async ValueTask<int> WriteAsync(IReadOnlyList<INodeEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        try
        {
            foreach (var nodeEvent in batch)
            {
                nodeEvent.WriteJsonLine(_buffer);
                if (_buffer.WrittenCount >= 64 * 1024)
                {
                    await FlushAsync(cancellationToken);
                }
            }

            await FlushAsync(cancellationToken);
            return batch.Count;
        }
        catch (IOException e)
        {
            Log.EventWriteFailed(_logger, e);
            return 0;
        }
        finally
        {
            _buffer.ResetWrittenCount();
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _output.WriteAsync(_buffer.WrittenMemory, cancellationToken);
            await _output.FlushAsync(cancellationToken);
        }
        finally
        {
            _buffer.ResetWrittenCount();
        }
    }
}
