using System.Buffers;
using Palisade.Node.SharedState;

namespace Palisade.Node.Events;

/// <summary>
/// Appends every event, as the same masked JSON standard output gets, to the Redis stream all replicas share, so
/// that one console sees them all. Appends do not wait for Redis; what Redis cannot take is dropped and counted.
/// </summary>
public sealed class RedisEventSink(SharedEventStream stream) : INodeEventSink
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public string Name => "redis";

    public ValueTask<bool> WriteAsync(IReadOnlyList<INodeEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var all = true;
        foreach (var nodeEvent in batch)
        {
            _buffer.ResetWrittenCount();
            nodeEvent.WriteJsonLine(_buffer);
            var json = _buffer.WrittenSpan;
            all &= stream.TryAppend(json[^1] == (byte)'\n' ? json[..^1] : json);
        }

        return ValueTask.FromResult(all);
    }
}
