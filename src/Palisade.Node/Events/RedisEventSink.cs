using System.Buffers;
using Palisade.Node.SharedState;

namespace Palisade.Node.Events;

/// <summary>
/// Appends every event, as the same masked JSON standard output gets, to the Redis stream all replicas share, so
/// that one console sees them all. Appends do not wait for Redis; what Redis cannot take is dropped and counted
/// (<c>palisade_redis_events_dropped_total</c>, and each refused event once as <c>write_failed</c> of this sink).
/// </summary>
public sealed class RedisEventSink(SharedEventStream stream) : INodeEventSink
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public string Name => "redis";

    public ValueTask<int> WriteAsync(IReadOnlyList<INodeEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var appended = 0;
        foreach (var nodeEvent in batch)
        {
            _buffer.ResetWrittenCount();
            nodeEvent.WriteJsonLine(_buffer);
            var json = _buffer.WrittenSpan;
            if (stream.TryAppend(json[^1] == (byte)'\n' ? json[..^1] : json))
            {
                appended++;
            }
        }

        return ValueTask.FromResult(appended);
    }
}
