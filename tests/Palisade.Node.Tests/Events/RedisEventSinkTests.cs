using Palisade.Node.Events;
using Palisade.Node.Metrics;
using Palisade.Node.SharedState;
using Palisade.Node.Tests.Infrastructure;
using Palisade.Node.Tests.SharedState;

namespace Palisade.Node.Tests.Events;

/// <summary>The shared-stream sink on a real Redis: what it cannot append is counted once per event, not per batch.</summary>
public sealed class RedisEventSinkTests(RedisServerProcess redis) : IClassFixture<RedisServerProcess>
{
    [Fact]
    public async Task WriteAsync_SomeAppendsRefused_OnlyThoseAreCountedAsWriteFailed()
    {
        var prefix = Replica.UniquePrefix();
        await using var replica = await Replica.ConnectAsync(redis, prefix, "pod-a",
            o => o with { EventMaxInFlight = 3, OperationTimeout = TimeSpan.FromSeconds(10) });
        var stream = new SharedEventStream(replica.Connection);
        await using var inspect = await Replica.InspectAsync(redis);
        // Redis holds every write for a while: the first appends stay in flight and the rest of the batch is refused.
        await inspect.GetServer(redis.Connection).ExecuteAsync("CLIENT", "PAUSE", "1500", "WRITE");
        var metrics = new NodeMetrics("block");
        await using (var queue = new EventSinkChannel(new RedisEventSink(stream), 100, metrics))
        {
            for (var i = 0; i < 10; i++)
            {
                Assert.True(queue.TryEnqueue(SqliteAttackLogTests.Attack($"r{i}", DateTimeOffset.UtcNow)));
            }
        }

        // However the ten are cut into batches, the seven refused appends are the seven events lost.
        Assert.Equal(7, replica.Metrics.EventsDropped);
        Assert.Equal(7, metrics.EventsDropped("redis", EventDropReason.WriteFailed).Value);
    }
}
