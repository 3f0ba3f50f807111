using System.Diagnostics;
using Palisade.Node.SharedState;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.SharedState;

/// <summary>
/// Redis going away and coming back: each test has its own redis-server, killed and started again on the same
/// port. Callers get null (their memory fallback) quickly, the gauge says so, and the connection comes back by itself.
/// </summary>
public sealed class SharedStateConnectionTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task IncrementAsync_RedisKilled_ReturnsNullQuicklyAndReportsDown()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        await using var replica = await Replica.ConnectAsync(redis, Replica.UniquePrefix(), "pod-a");
        var counter = new SharedWindowCounter(replica.Connection);
        Assert.Equal(1, await counter.IncrementAsync("login", "k", Day));
        Assert.Equal(1, replica.Metrics.Up);

        redis.Kill();

        for (var i = 0; i < 5; i++)
        {
            var timer = Stopwatch.StartNew();
            Assert.Null(await counter.IncrementAsync("login", "k", Day));
            Assert.True(timer.Elapsed < TimeSpan.FromSeconds(2), "IncrementAsync took " + timer.Elapsed);
        }

        await Replica.WaitUntilAsync(() => replica.Metrics.Up == 0, TimeSpan.FromSeconds(5), "palisade_redis_up 0");
        Assert.False(replica.Connection.IsConnected);
        Assert.True(replica.Metrics.Errors(SharedStateOperation.Connect) >= 1);
    }

    [Fact]
    public async Task IncrementAsync_RedisConnectedButNotAnswering_GivesUpAtTheOperationTimeout()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        await using var replica = await Replica.ConnectAsync(redis, Replica.UniquePrefix(), "pod-a");
        var counter = new SharedWindowCounter(replica.Connection);
        Assert.Equal(1, await counter.IncrementAsync("login", "k", Day));
        await using var inspect = await Replica.InspectAsync(redis);
        // Redis holds every client's commands for 3 s; the connection itself stays up.
        await inspect.GetServer(redis.Connection).ExecuteAsync("CLIENT", "PAUSE", "3000", "ALL");

        var timer = Stopwatch.StartNew();
        Assert.Null(await counter.IncrementAsync("login", "k", Day));

        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(1), "IncrementAsync took " + timer.Elapsed);
        Assert.Equal(1, replica.Metrics.Errors(SharedStateOperation.Counter));
    }

    [Fact]
    public async Task IncrementAsync_RedisRestartedOnTheSamePort_ReconnectsByItselfAndCountsAgain()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        await using var replica = await Replica.ConnectAsync(redis, Replica.UniquePrefix(), "pod-a");
        var counter = new SharedWindowCounter(replica.Connection);
        var changes = new System.Collections.Concurrent.ConcurrentQueue<bool>();
        replica.Connection.StateChanged += changes.Enqueue;
        Assert.Equal(1, await counter.IncrementAsync("login", "k", Day));

        redis.Kill();
        await Replica.WaitUntilAsync(() => !replica.Connection.IsConnected, TimeSpan.FromSeconds(5), "disconnected");
        Assert.Null(await counter.IncrementAsync("login", "k", Day));
        await redis.StartAsync();

        await Replica.WaitUntilAsync(() => replica.Connection.IsConnected, TimeSpan.FromSeconds(10), "reconnected");
        Assert.Equal(1, replica.Metrics.Up);
        Assert.Contains(false, changes);
        Assert.True(changes.Last(), "the last state change reported is not the reconnection");
        // Just after a reconnection the client may still refuse a command or two while its handshake settles
        // (the caller counts in memory then); a read, which changes nothing, is retried until Redis answers.
        var deadline = Stopwatch.StartNew();
        long? seen;
        while ((seen = await counter.GetAsync("login", "k", Day)) is null)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "no counter answer within 10 s of the reconnection");
            await Task.Delay(50);
        }

        // The new server is empty and has not seen the script: counting starts again from 1.
        Assert.Equal(0, seen);
        Assert.Equal(1, await counter.IncrementAsync("login", "k", Day));
        Assert.Equal(2, await counter.IncrementAsync("login", "k", Day));
    }

    [Fact]
    public async Task ConnectAsync_RedisAbsent_StartsDisconnectedAndConnectsWhenItAppears()
    {
        await using var redis = new RedisServerProcess();
        var timer = Stopwatch.StartNew();
        await using var replica = await Replica.ConnectAsync(redis, Replica.UniquePrefix(), "pod-a");
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(5), "ConnectAsync took " + timer.Elapsed);
        var connected = new TaskCompletionSource();
        replica.Connection.StateChanged += up =>
        {
            if (up)
            {
                connected.TrySetResult();
            }
        };
        var counter = new SharedWindowCounter(replica.Connection);
        var events = new SharedEventStream(replica.Connection);

        Assert.False(replica.Connection.IsConnected);
        Assert.Equal(0, replica.Metrics.Up);
        Assert.Null(await counter.IncrementAsync("login", "k", Day));
        Assert.False(events.TryAppend("{}"u8));
        Assert.Equal(1, replica.Metrics.EventsDropped);

        await redis.StartAsync();

        await connected.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, replica.Metrics.Up);
        Assert.Equal(1, await counter.IncrementAsync("login", "k", Day));
    }

    [Fact]
    public void Parse_ConnectionStrings_AcceptsEndpointsAndRejectsTheRest()
    {
        var options = RedisOptions.Parse("redis.shop.svc:6380,password=s3cret");
        Assert.Equal("palisade:", options.KeyPrefix);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.OperationTimeout);
        Assert.DoesNotContain("s3cret", options.Describe(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("6380", options.Describe(), StringComparison.Ordinal);

        Assert.Throws<FormatException>(() => RedisOptions.Parse(""));
        Assert.Throws<FormatException>(() => RedisOptions.Parse("localhost:6379,nonsense=1"));
        Assert.Throws<FormatException>(() => (options with { KeyPrefix = "" }).Validate());
        Assert.Throws<FormatException>(() => (options with { OperationTimeout = TimeSpan.Zero }).Validate());
    }
}
