using Palisade.Node.RateLimiting;
using Palisade.Node.SharedState;
using Palisade.Node.Tests.Infrastructure;
using Palisade.Node.Tests.SharedState;

namespace Palisade.Node.Tests.RateLimiting;

/// <summary>Shared rate limits against a real redis-server: two replicas' limiters, and Redis slowing down.</summary>
public sealed class SharedRateLimitsTests
{
    [Fact]
    public async Task CheckAsync_ClientBacksOffAfterRefusals_RefusalsDidNotCountAgainstIt()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        var prefix = Replica.UniquePrefix();
        await using var a = await Replica.ConnectAsync(redis, prefix, "pod-a");
        await using var b = await Replica.ConnectAsync(redis, prefix, "pod-b");
        var rule = RateLimitTestRequests.Rule(limit: 4, windowSeconds: 3600);
        var limiters = new[] { new RateLimiter([rule], TimeProvider.System), new RateLimiter([rule], TimeProvider.System) };
        var shared = new[] { Shared(a), Shared(b) };
        var request = RateLimitTestRequests.Request();

        var admitted = 0;
        for (var i = 0; i < 20; i++)
        {
            admitted += (await shared[i % 2].CheckAsync(limiters[i % 2], request)).IsAllowed ? 1 : 0;
        }

        // 4 across both replicas; the 16 refused left the shared count at 4, not 20.
        Assert.Equal(4, admitted);
        var counter = new SharedWindowCounter(a.Connection);
        Assert.Equal(4, await counter.GetAsync(rule.Name, "192.0.2.1", rule.Window));
    }

    [Fact]
    public async Task CheckAsync_RedisConnectedButNotAnswering_StopsAskingAfterAFewFailures()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        await using var replica = await Replica.ConnectAsync(redis, Replica.UniquePrefix(), "pod-a");
        var limiter = new RateLimiter([RateLimitTestRequests.Rule("first", limit: 1000), RateLimitTestRequests.Rule("second", limit: 1000)], TimeProvider.System);
        var shared = Shared(replica);
        var request = RateLimitTestRequests.Request();
        Assert.True((await shared.CheckAsync(limiter, request)).IsAllowed);
        var errorsBefore = replica.Metrics.Errors(SharedStateOperation.Counter);
        await using var inspect = await Replica.InspectAsync(redis);
        await inspect.GetServer(redis.Connection).ExecuteAsync("CLIENT", "PAUSE", "4000", "ALL");

        for (var i = 0; i < 10; i++)
        {
            Assert.True((await shared.CheckAsync(limiter, request)).IsAllowed);
        }

        // Two rules asked together per request, three requests failed: six failed commands, then none.
        Assert.True(shared.IsBypassed);
        Assert.Equal(SharedRateLimits.TripAfter * 2, replica.Metrics.Errors(SharedStateOperation.Counter) - errorsBefore);
    }

    private static SharedRateLimits Shared(Replica replica) =>
        new(new SharedWindowCounter(replica.Connection), replica.Connection, TimeProvider.System);
}
