using System.Text.RegularExpressions;
using Palisade.Node.SharedState;
using Palisade.Node.Tests.Infrastructure;
using StackExchange.Redis;

namespace Palisade.Node.Tests.SharedState;

/// <summary>The shared sliding-window counter against a real redis-server, with two replicas counting together.</summary>
public sealed partial class SharedWindowCounterTests(RedisServerProcess redis) : IClassFixture<RedisServerProcess>
{
    // A day-long window keeps a test inside one bucket (the next boundary is midnight UTC on the server's clock).
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public async Task IncrementAsync_TwoReplicasConcurrently_CountsEveryIncrementExactlyOnce()
    {
        var prefix = Replica.UniquePrefix();
        await using var first = await Replica.ConnectAsync(redis, prefix, "pod-a");
        await using var second = await Replica.ConnectAsync(redis, prefix, "pod-b");
        var counters = new[] { new SharedWindowCounter(first.Connection), new SharedWindowCounter(second.Connection) };
        const int PerWorker = 100;
        const int Limit = 250;

        // Four workers per replica, 800 increments in all, interleaved across the two connections.
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var seen = new List<long?>(PerWorker);
            for (var i = 0; i < PerWorker; i++)
            {
                seen.Add(await counters[w % 2].IncrementAsync("login", "203.0.113.7", Day));
            }

            return seen;
        })).ToArray();
        var counts = (await Task.WhenAll(workers)).SelectMany(s => s).ToList();

        Assert.All(counts, c => Assert.NotNull(c));
        // Every increment saw a different total: 1..800, none lost or counted twice.
        Assert.Equal(Enumerable.Range(1, 800).Select(i => (long?)i), counts.Order());
        // So a limit of 250 across the replicas lets exactly 250 through.
        Assert.Equal(Limit, counts.Count(c => c <= Limit));
        Assert.Equal(800, await counters[0].GetAsync("login", "203.0.113.7", Day));
        Assert.Equal(800, await counters[1].GetAsync("login", "203.0.113.7", Day));
    }

    [Fact]
    public async Task IncrementAsync_WithALimit_RefusedIncrementsDoNotCount()
    {
        var prefix = Replica.UniquePrefix();
        await using var first = await Replica.ConnectAsync(redis, prefix, "pod-a");
        await using var second = await Replica.ConnectAsync(redis, prefix, "pod-b");
        var counters = new[] { new SharedWindowCounter(first.Connection), new SharedWindowCounter(second.Connection) };

        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var seen = new List<long?>();
            for (var i = 0; i < 50; i++)
            {
                seen.Add(await counters[w % 2].IncrementAsync("api", "203.0.113.9", Day, limit: 100));
            }

            return seen;
        })).ToArray();
        var counts = (await Task.WhenAll(workers)).SelectMany(s => s).ToList();

        // Exactly 100 of the 400 got under the limit; the other 300 saw 101 and were not counted.
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long?)i), counts.Where(c => c <= 100).Order());
        Assert.All(counts.Where(c => c > 100), c => Assert.Equal(101, c));
        Assert.Equal(100, await counters[0].GetAsync("api", "203.0.113.9", Day));
    }

    [Fact]
    public async Task GetAsync_AfterIncrements_ReadsWithoutCounting()
    {
        await using var replica = await Replica.ConnectAsync(redis, Replica.UniquePrefix(), "pod-a");
        var counter = new SharedWindowCounter(replica.Connection);

        Assert.Equal(0, await counter.GetAsync("bruteforce", "alice", Day));
        await counter.IncrementAsync("bruteforce", "alice", Day, by: 3);
        await counter.IncrementAsync("bruteforce", "alice", Day);

        Assert.Equal(4, await counter.GetAsync("bruteforce", "alice", Day));
        Assert.Equal(4, await counter.GetAsync("bruteforce", "alice", Day));
        Assert.Equal(0, await counter.GetAsync("bruteforce", "bob", Day));
        Assert.Equal(0, await counter.GetAsync("other-rule", "alice", Day));
    }

    [Fact]
    public async Task IncrementAsync_WindowPassed_CountDecaysToZeroAndStartsAgain()
    {
        await using var replica = await Replica.ConnectAsync(redis, Replica.UniquePrefix(), "pod-a");
        var counter = new SharedWindowCounter(replica.Connection);
        var window = TimeSpan.FromSeconds(1);

        Assert.Equal(10, await counter.IncrementAsync("api", "k", window, by: 10));

        // The previous window weighs less and less: the count never grows, and is 0 after two windows at most.
        var values = new List<long>();
        var started = DateTime.UtcNow;
        long? value;
        do
        {
            value = await counter.GetAsync("api", "k", window);
            Assert.NotNull(value);
            values.Add(value.Value);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "still " + value + " after 5 s");
            await Task.Delay(50);
        }
        while (value != 0);

        Assert.Equal(values.OrderDescending(), values);
        Assert.Equal(10, values[0]);
        Assert.Equal(1, await counter.IncrementAsync("api", "k", window));
    }

    [Fact]
    public async Task IncrementAsync_AttackerControlledKey_StoresOnlyAShortHash()
    {
        var prefix = Replica.UniquePrefix();
        await using var replica = await Replica.ConnectAsync(redis, prefix, "pod-a");
        var counter = new SharedWindowCounter(replica.Connection);
        var hostile = "' OR 1=1 -- " + new string('x', 20_000);

        Assert.Equal(1, await counter.IncrementAsync("per-token", hostile, Day));
        Assert.Equal(1, await counter.IncrementAsync("per-token", "short", Day));

        await using var inspect = await Replica.InspectAsync(redis);
        var keys = inspect.GetServer(redis.Connection).Keys(pattern: prefix + "*").Select(k => (string)k!).ToList();
        Assert.Equal(2, keys.Count);
        Assert.All(keys, k => Assert.Matches(CounterKey(), k[prefix.Length..]));
        Assert.All(keys, k => Assert.True(k.Length < prefix.Length + 64, k));
        Assert.DoesNotContain(keys, k => k.Contains("OR 1=1", StringComparison.Ordinal) || k.Contains("short", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IncrementAsync_ScriptLoaded_RunsItBySha()
    {
        await using var replica = await Replica.ConnectAsync(redis, Replica.UniquePrefix(), "pod-a");
        var counter = new SharedWindowCounter(replica.Connection);
        await counter.IncrementAsync("api", "warm-up", Day);
        await using var inspect = await Replica.InspectAsync(redis);
        var server = inspect.GetServer(redis.Connection);
        var before = EvalshaCalls(server);

        for (var i = 0; i < 3; i++)
        {
            Assert.NotNull(await counter.IncrementAsync("api", "k", Day));
        }

        Assert.Equal(before + 3, EvalshaCalls(server));
    }

    private static long EvalshaCalls(IServer server)
    {
        var line = (server.InfoRaw("commandstats") ?? string.Empty).Split('\n').FirstOrDefault(l => l.StartsWith("cmdstat_evalsha:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(CallsField().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("^rl:per-token:[0-9a-f]{32}:[0-9]+$")]
    private static partial Regex CounterKey();

    [GeneratedRegex("calls=([0-9]+)")]
    private static partial Regex CallsField();
}
