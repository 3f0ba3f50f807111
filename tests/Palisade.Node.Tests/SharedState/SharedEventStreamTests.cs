using System.Text;
using Palisade.Node.SharedState;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.SharedState;

/// <summary>The shared attack-event stream: every replica's events, newest first, trimmed, never waited on.</summary>
public sealed class SharedEventStreamTests(RedisServerProcess redis) : IClassFixture<RedisServerProcess>
{
    [Fact]
    public async Task ReadRecentAsync_EventsOfTwoReplicas_NewestFirstWithPages()
    {
        var prefix = Replica.UniquePrefix();
        await using var a = await Replica.ConnectAsync(redis, prefix, "pod-a");
        await using var b = await Replica.ConnectAsync(redis, prefix, "pod-b");
        var streams = new[] { new SharedEventStream(a.Connection), new SharedEventStream(b.Connection) };

        for (var i = 0; i < 5; i++)
        {
            Assert.True(streams[i % 2].TryAppend(Encoding.UTF8.GetBytes("{\"n\":" + i + "}")));
            // One at a time, so that the order of the stream is the order of the appends.
            await Replica.WaitUntilAsync(() => streams[i % 2].InFlight == 0, TimeSpan.FromSeconds(2), "append done");
        }

        var all = await streams[0].ReadRecentAsync(10);
        Assert.NotNull(all);
        Assert.Equal(["{\"n\":4}", "{\"n\":3}", "{\"n\":2}", "{\"n\":1}", "{\"n\":0}"], all.Select(e => Encoding.UTF8.GetString(e.Json.Span)));
        Assert.Equal(["pod-a", "pod-b", "pod-a", "pod-b", "pod-a"], all.Select(e => e.Origin));

        var first = await streams[1].ReadRecentAsync(2);
        var second = await streams[1].ReadRecentAsync(2, first![^1].Id);
        var third = await streams[1].ReadRecentAsync(2, second![^1].Id);
        Assert.Equal(all.Select(e => e.Id), first.Concat(second).Concat(third!).Select(e => e.Id));
        await Assert.ThrowsAsync<ArgumentException>(() => streams[0].ReadRecentAsync(2, "not-an-id"));
    }

    [Fact]
    public async Task TryAppend_BeyondTheMaximumLength_TrimsTheStream()
    {
        var prefix = Replica.UniquePrefix();
        await using var replica = await Replica.ConnectAsync(redis, prefix, "pod-a", o => o with { EventStreamMaxLength = 50 });
        var stream = new SharedEventStream(replica.Connection);

        for (var i = 0; i < 2_000; i++)
        {
            Assert.True(stream.TryAppend(Encoding.UTF8.GetBytes("{\"n\":" + i + "}")));
            if (i % 200 == 199)
            {
                await Replica.WaitUntilAsync(() => stream.InFlight == 0, TimeSpan.FromSeconds(5), "appends done");
            }
        }

        await using var inspect = await Replica.InspectAsync(redis);
        var length = await inspect.GetDatabase().StreamLengthAsync(prefix + "events");
        // MAXLEN ~ trims whole stream nodes (100 entries by default): at least 50 are kept, far fewer than 2,000.
        Assert.InRange(length, 50, 50 + 100);
        Assert.Equal("{\"n\":1999}", Encoding.UTF8.GetString((await stream.ReadRecentAsync(1))![0].Json.Span));
        Assert.Equal(0, replica.Metrics.EventsDropped);
    }

    [Fact]
    public async Task TryAppend_TooManyInFlight_DropsAndCountsTheRest()
    {
        var prefix = Replica.UniquePrefix();
        await using var replica = await Replica.ConnectAsync(redis, prefix, "pod-a",
            o => o with { EventMaxInFlight = 3, OperationTimeout = TimeSpan.FromSeconds(10) });
        var stream = new SharedEventStream(replica.Connection);
        await using var inspect = await Replica.InspectAsync(redis);
        var server = inspect.GetServer(redis.Connection);
        // Redis holds every write for a while: the first appends stay in flight.
        await server.ExecuteAsync("CLIENT", "PAUSE", "1500", "WRITE");

        var accepted = 0;
        for (var i = 0; i < 10; i++)
        {
            accepted += stream.TryAppend("{\"attack\":true}"u8) ? 1 : 0;
        }

        Assert.Equal(3, accepted);
        Assert.Equal(7, replica.Metrics.EventsDropped);
        await Replica.WaitUntilAsync(() => stream.InFlight == 0, TimeSpan.FromSeconds(10), "paused appends done");
        Assert.Equal(3, await inspect.GetDatabase().StreamLengthAsync(prefix + "events"));
        Assert.Equal(7, replica.Metrics.EventsDropped);
        Assert.True(stream.TryAppend("{\"attack\":true}"u8));
    }
}
