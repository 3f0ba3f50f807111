using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Node.SharedState;
using Palisade.Node.Tests.Infrastructure;
using Prometheus;
using StackExchange.Redis;

namespace Palisade.Node.Tests.SharedState;

/// <summary>One "replica": its own connection to the shared Redis and its own metrics registry.</summary>
internal sealed class Replica : IAsyncDisposable
{
    private Replica(SharedStateConnection connection, SharedStateMetrics metrics)
    {
        Connection = connection;
        Metrics = metrics;
    }

    public SharedStateConnection Connection { get; }

    public SharedStateMetrics Metrics { get; }

    public static async Task<Replica> ConnectAsync(string connection, string prefix, string id, Func<RedisOptions, RedisOptions>? configure = null, TimeProvider? time = null)
    {
        var options = RedisOptions.Parse(connection) with { KeyPrefix = prefix, ReplicaId = id };
        options = configure?.Invoke(options) ?? options;
        var metrics = new SharedStateMetrics(new CollectorRegistry());
        return new Replica(await SharedStateConnection.ConnectAsync(options, metrics, NullLogger<SharedStateConnection>.Instance, time), metrics);
    }

    public static Task<Replica> ConnectAsync(RedisServerProcess redis, string prefix, string id, Func<RedisOptions, RedisOptions>? configure = null) =>
        ConnectAsync(redis.Connection, prefix, id, configure);

    /// <summary>A plain client for looking into Redis from the test (admin commands allowed).</summary>
    public static Task<ConnectionMultiplexer> InspectAsync(RedisServerProcess redis) =>
        ConnectionMultiplexer.ConnectAsync(redis.Connection + ",allowAdmin=true");

    /// <summary>A key prefix no other test uses.</summary>
    public static string UniquePrefix() => "t" + Guid.NewGuid().ToString("N")[..12] + ":";

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("not within " + within.TotalSeconds + " s: " + what);
            }

            await Task.Delay(20);
        }
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
