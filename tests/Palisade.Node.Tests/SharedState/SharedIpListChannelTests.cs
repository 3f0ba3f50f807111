using System.Collections.Concurrent;
using Palisade.Node.SharedState;
using Palisade.Node.Tests.Infrastructure;
using StackExchange.Redis;

namespace Palisade.Node.Tests.SharedState;

/// <summary>IP list entries added at run time on one replica reach the others, live and at (re)connection.</summary>
public sealed class SharedIpListChannelTests(RedisServerProcess redis) : IClassFixture<RedisServerProcess>
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task AddAsync_OnOneReplica_ReachesTheOtherWithinASecond()
    {
        var prefix = Replica.UniquePrefix();
        await using var a = await Listener.StartAsync(redis, prefix, "pod-a");
        await using var b = await Listener.StartAsync(redis, prefix, "pod-b");
        var expires = DateTimeOffset.UtcNow.AddHours(1);

        Assert.True(await a.Channel.AddAsync("deny", "198.51.100.0/24", "credential stuffing", expires));

        var entry = await b.NextUpsertAsync(Live);
        Assert.Equal(new SharedIpEntry("deny", "198.51.100.0/24", "credential stuffing", DateTimeOffset.FromUnixTimeMilliseconds(expires.ToUnixTimeMilliseconds()), "pod-a"), entry);
        // The replica that made the change is not told about it again.
        await Task.Delay(200);
        Assert.Empty(a.Upserts);
    }

    [Fact]
    public async Task RemoveAsync_OnOneReplica_ReachesTheOtherWithinASecond()
    {
        var prefix = Replica.UniquePrefix();
        await using var a = await Listener.StartAsync(redis, prefix, "pod-a");
        await using var b = await Listener.StartAsync(redis, prefix, "pod-b");
        Assert.True(await a.Channel.AddAsync("gray", "2001:db8::/32", null, null));
        await b.NextUpsertAsync(Live);

        Assert.True(await a.Channel.RemoveAsync("gray", "2001:db8::/32"));

        Assert.Equal(("gray", "2001:db8::/32"), await b.NextRemovalAsync(Live));
        Assert.Empty(await a.Channel.LoadAllAsync() ?? throw new InvalidOperationException("Redis unavailable"));
    }

    [Fact]
    public async Task StartAsync_ReplicaStartingLater_LoadsTheEntriesAddedBefore()
    {
        var prefix = Replica.UniquePrefix();
        await using var a = await Listener.StartAsync(redis, prefix, "pod-a");
        Assert.True(await a.Channel.AddAsync("deny", "192.0.2.10", "scanner", null));
        Assert.True(await a.Channel.AddAsync("gray", "192.0.2.0/28", null, DateTimeOffset.UtcNow.AddMinutes(10)));

        await using var late = await Listener.StartAsync(redis, prefix, "pod-late");

        var loaded = new[] { await late.NextUpsertAsync(Live), await late.NextUpsertAsync(Live) };
        Assert.Equal(["deny|192.0.2.10", "gray|192.0.2.0/28"], loaded.Select(e => e.List + "|" + e.Cidr).Order(StringComparer.Ordinal));
        Assert.All(loaded, e => Assert.Equal("pod-a", e.Origin));
    }

    [Fact]
    public async Task StartAsync_ExpiredEntry_IsNotLoadedAndIsDeleted()
    {
        var prefix = Replica.UniquePrefix();
        await using var a = await Listener.StartAsync(redis, prefix, "pod-a");
        Assert.True(await a.Channel.AddAsync("deny", "192.0.2.20", "expired", DateTimeOffset.UtcNow.AddMinutes(-1)));
        Assert.True(await a.Channel.AddAsync("deny", "192.0.2.21", "current", DateTimeOffset.UtcNow.AddMinutes(1)));

        await using var late = await Listener.StartAsync(redis, prefix, "pod-late");

        Assert.Equal("192.0.2.21", (await late.NextUpsertAsync(Live)).Cidr);
        await Task.Delay(200);
        Assert.Empty(late.Upserts);
        await using var inspect = await Replica.InspectAsync(redis);
        Assert.Equal(["deny|192.0.2.21"], (await inspect.GetDatabase().HashKeysAsync(prefix + "ip")).Select(k => (string)k!));
    }

    [Fact]
    public async Task StartAsync_RedisAbsentAtStart_SubscribesAndLoadsOnceItAppears()
    {
        await using var own = new RedisServerProcess();
        var prefix = Replica.UniquePrefix();
        await using var early = await Listener.StartAsync(own, prefix, "pod-early");
        Assert.False(early.Replica.Connection.IsConnected);
        Assert.False(await early.Channel.AddAsync("deny", "192.0.2.40", null, null));

        await own.StartAsync();
        await Replica.WaitUntilAsync(() => early.Replica.Connection.IsConnected, TimeSpan.FromSeconds(10), "connected");
        await using var other = await Listener.StartAsync(own, prefix, "pod-other");
        Assert.True(await other.Channel.AddAsync("deny", "192.0.2.41", null, null));
        // Live, through the subscription made once Redis appeared (the load may also have found it first).
        Assert.Equal("192.0.2.41", (await early.NextUpsertAsync(TimeSpan.FromSeconds(3))).Cidr);
        Assert.True(await other.Channel.AddAsync("deny", "192.0.2.42", null, null));
        Assert.Equal("192.0.2.42", (await early.NextUpsertAsync(Live)).Cidr);
    }

    [Fact]
    public async Task AddAsync_InvalidEntry_IsRefused()
    {
        await using var a = await Listener.StartAsync(redis, Replica.UniquePrefix(), "pod-a");

        await Assert.ThrowsAsync<ArgumentException>(() => a.Channel.AddAsync("deny", "not-an-ip", null, null));
        await Assert.ThrowsAsync<ArgumentException>(() => a.Channel.AddAsync("de|ny", "192.0.2.1", null, null));
        await Assert.ThrowsAsync<ArgumentException>(() => a.Channel.AddAsync("", "192.0.2.1", null, null));
    }

    [Fact]
    public async Task Reconnect_ChangesMissedWhileAway_AreAppliedFromTheHash()
    {
        // pod-b connects as its own Redis user, so the test can cut it off (and only it) and let it back in. The
        // server is the test's own: the default user needs a password here, or a refused pod-b would come back
        // unauthenticated as the default user.
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        var inspect = await Replica.InspectAsync(redis);
        var server = inspect.GetServer(redis.Connection);
        await server.ExecuteAsync("ACL", "SETUSER", "podb", "on", ">podb-secret", "~*", "&*", "+@all");
        await server.ExecuteAsync("ACL", "SETUSER", "default", "resetpass", ">root-secret");
        await inspect.DisposeAsync();
        await using var admin = await ConnectionMultiplexer.ConnectAsync(redis.Connection + ",allowAdmin=true,password=root-secret");
        server = admin.GetServer(redis.Connection);
        var prefix = Replica.UniquePrefix();
        await using var a = await Listener.StartAsync(redis.Connection + ",password=root-secret", prefix, "pod-a");
        await using var b = await Listener.StartAsync(redis.Connection + ",user=podb,password=podb-secret", prefix, "pod-b");
        Assert.True(await a.Channel.AddAsync("deny", "192.0.2.30", "kept", null));
        Assert.True(await a.Channel.AddAsync("deny", "192.0.2.31", "removed while away", null));
        await b.NextUpsertAsync(Live);
        await b.NextUpsertAsync(Live);

        await server.ExecuteAsync("ACL", "SETUSER", "podb", "off");
        await server.ExecuteAsync("CLIENT", "KILL", "USER", "podb");
        await Replica.WaitUntilAsync(() => !b.Replica.Connection.IsConnected, TimeSpan.FromSeconds(5), "pod-b cut off");
        Assert.True(await a.Channel.RemoveAsync("deny", "192.0.2.31"));
        Assert.True(await a.Channel.AddAsync("gray", "192.0.2.32", "added while away", null));
        await Task.Delay(300);
        Assert.False(b.Replica.Connection.IsConnected);
        Assert.Empty(b.Upserts);
        Assert.Empty(b.Removals);

        await server.ExecuteAsync("ACL", "SETUSER", "podb", "on");

        Assert.Equal("192.0.2.32", (await b.NextUpsertAsync(TimeSpan.FromSeconds(10))).Cidr);
        Assert.Equal(("deny", "192.0.2.31"), await b.NextRemovalAsync(TimeSpan.FromSeconds(2)));
        await Task.Delay(300);
        // What did not change while away is not reported again.
        Assert.Empty(b.Upserts);
    }

    [Fact]
    public async Task StartAsync_StoredEntryWithInvalidFields_IsSkippedAndTheOthersLoad()
    {
        var prefix = Replica.UniquePrefix();
        await using var inspect = await Replica.InspectAsync(redis);
        var hash = prefix + "ip";
        var database = inspect.GetDatabase();
        await database.HashSetAsync(hash, "deny|192.0.2.60", """{"list":"deny","cidr":"192.0.2.60","expires":99999999999999999,"added_by":"pod-x"}""");
        await database.HashSetAsync(hash, "deny|192.0.2.61", "{\"list\":\"deny\",\"cidr\":\"192.0.2.61\",\"reason\":\"" + new string('r', 513) + "\",\"added_by\":\"pod-x\"}");
        await database.HashSetAsync(hash, "nope|192.0.2.62", """{"list":"nope","cidr":"192.0.2.62","added_by":"pod-x"}""");
        await database.HashSetAsync(hash, "deny|192.0.2.63", """{"list":"deny","cidr":"192.0.2.0/33","added_by":"pod-x"}""");
        await database.HashSetAsync(hash, "deny|192.0.2.64", """{"list":"deny","cidr":"192.0.2.64","added_by":"pod-x"}""");

        await using var late = await Listener.StartAsync(redis, prefix, "pod-late");

        Assert.Equal("192.0.2.64", (await late.NextUpsertAsync(Live)).Cidr);
        Assert.Empty(late.Upserts);
        Assert.Equal(4, late.Replica.Metrics.IpEntriesRejected(stored: true));
        // Skipped, not deleted: the operator can look at them.
        Assert.Equal(5, await database.HashLengthAsync(hash));
    }

    [Fact]
    public async Task OnMessage_InvalidMessages_AreIgnoredAndCounted()
    {
        var prefix = Replica.UniquePrefix();
        await using var b = await Listener.StartAsync(redis, prefix, "pod-b");
        await using var inspect = await Replica.InspectAsync(redis);
        var channel = RedisChannel.Literal(prefix + "ip:changes");
        string[] invalid =
        [
            "{\"op\":\"set\",\"list\":\"deny\",\"cidr\":\"192.0.2.70\",\"reason\":\"" + new string('r', 5 * 1024 * 1024) + "\",\"added_by\":\"pod-x\",\"sender\":\"x\"}",
            """{"op":"set","list":"deny","cidr":"192.0.2.71","expires":99999999999999999,"added_by":"pod-x","sender":"x"}""",
            """{"op":"upsert","list":"deny","cidr":"192.0.2.72","added_by":"pod-x","sender":"x"}""",
            """{"op":"set","list":"deny","cidr":"not-an-ip","added_by":"pod-x","sender":"x"}""",
            """{"op":"set","list":"nope","cidr":"192.0.2.73","added_by":"pod-x","sender":"x"}""",
        ];
        foreach (var message in invalid)
        {
            await inspect.GetSubscriber().PublishAsync(channel, message);
        }

        await inspect.GetSubscriber().PublishAsync(channel, """{"op":"set","list":"deny","cidr":"192.0.2.74","added_by":"pod-x","sender":"x"}""");

        // Messages arrive in order: once the valid one is in, the invalid ones were handled.
        Assert.Equal("192.0.2.74", (await b.NextUpsertAsync(Live)).Cidr);
        Assert.Empty(b.Upserts);
        Assert.Equal(invalid.Length, b.Replica.Metrics.IpEntriesRejected(stored: false));
    }

    [Fact]
    public async Task OnMessage_RemovalsAndExpiredEntries_AreNotRemembered()
    {
        var prefix = Replica.UniquePrefix();
        await using var a = await Listener.StartAsync(redis, prefix, "pod-a");
        await using var b = await Listener.StartAsync(redis, prefix, "pod-b");
        for (var i = 0; i < 50; i++)
        {
            Assert.True(await a.Channel.AddAsync("gray", "198.51.100." + i, null, null));
            Assert.True(await a.Channel.RemoveAsync("gray", "198.51.100." + i));
            Assert.True(await a.Channel.AddAsync("gray", "203.0.113." + i, null, DateTimeOffset.UtcNow.AddMinutes(-1)));
        }

        Assert.True(await a.Channel.AddAsync("deny", "192.0.2.80", null, null));
        await Replica.WaitUntilAsync(() => b.Upserts.Any(e => e.Cidr == "192.0.2.80"), Live, "the last entry");

        Assert.Equal(1, b.Channel.KnownCount);
    }

    [Fact]
    public async Task OnMessage_ManyEntriesThatExpired_AreSweptFromWhatIsRemembered()
    {
        var prefix = Replica.UniquePrefix();
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var a = await Listener.StartAsync(redis, prefix, "pod-a");
        await using var b = await Listener.StartAsync(redis.Connection, prefix, "pod-b", clock);
        var expires = DateTimeOffset.UtcNow.AddHours(1);
        for (var i = 0; i < 1024; i++)
        {
            Assert.True(await a.Channel.AddAsync("gray", "10.0." + (i >> 8) + "." + (i & 255), null, expires));
        }

        await Replica.WaitUntilAsync(() => b.Channel.KnownCount == 1024, TimeSpan.FromSeconds(10), "pod-b remembers them all");
        clock.Advance(TimeSpan.FromHours(2));

        Assert.True(await a.Channel.AddAsync("deny", "192.0.2.90", null, null));

        await Replica.WaitUntilAsync(() => b.Upserts.Any(e => e.Cidr == "192.0.2.90"), Live, "the last entry");
        Assert.Equal(1, b.Channel.KnownCount);
    }

    private sealed class Listener : IAsyncDisposable
    {
        private Listener(Replica replica)
        {
            Replica = replica;
            Channel = new SharedIpListChannel(replica.Connection, Upserts.Enqueue, (list, cidr) => Removals.Enqueue((list, cidr)));
        }

        public Replica Replica { get; }

        public SharedIpListChannel Channel { get; }

        public ConcurrentQueue<SharedIpEntry> Upserts { get; } = new();

        public ConcurrentQueue<(string List, string Cidr)> Removals { get; } = new();

        public static Task<Listener> StartAsync(RedisServerProcess redis, string prefix, string id) => StartAsync(redis.Connection, prefix, id);

        public static async Task<Listener> StartAsync(string connection, string prefix, string id, TimeProvider? time = null)
        {
            var listener = new Listener(await Replica.ConnectAsync(connection, prefix, id, time: time));
            await listener.Channel.StartAsync();
            return listener;
        }

        public async Task<SharedIpEntry> NextUpsertAsync(TimeSpan within)
        {
            SharedIpEntry? entry = null;
            await Replica.WaitUntilAsync(() => Upserts.TryDequeue(out entry), within, "an added entry");
            return entry!;
        }

        public async Task<(string, string)> NextRemovalAsync(TimeSpan within)
        {
            (string, string) removal = default;
            await Replica.WaitUntilAsync(() => Removals.TryDequeue(out removal), within, "a removal");
            return removal;
        }

        public async ValueTask DisposeAsync()
        {
            await Channel.DisposeAsync();
            await Replica.DisposeAsync();
        }
    }
}
