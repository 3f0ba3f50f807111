using System.Net;
using Palisade.Node.Access;
using Palisade.Node.SharedState;
using Palisade.Node.Tests.Infrastructure;
using Palisade.Node.Tests.SharedState;

namespace Palisade.Node.Tests.Access;

/// <summary>The node's IP lists kept the same across replicas through Redis.</summary>
public sealed class IpListReplicationTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task StartAsync_PoisonedEntryInTheHash_ValidEntriesStillReachTheStoreAndReloadsGoOn()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        var prefix = Replica.UniquePrefix();
        await using var inspect = await Replica.InspectAsync(redis);
        var database = inspect.GetDatabase();
        await database.HashSetAsync(prefix + "ip", "deny|192.0.2.1", """{"list":"deny","cidr":"192.0.2.1","expires":99999999999999999,"added_by":"pod-x"}""");
        await database.HashSetAsync(prefix + "ip", "deny|192.0.2.2", """{"list":"deny","cidr":"192.0.2.2","added_by":"pod-x"}""");
        await using var node = await Node.StartAsync(redis, prefix, "pod-a");

        await Replica.WaitUntilAsync(() => node.Store.Find(IPAddress.Parse("192.0.2.2"))?.Kind == IpListKind.Deny, Soon, "the valid entry loaded");
        Assert.Null(node.Store.Find(IPAddress.Parse("192.0.2.1")));

        // The poison removed and an entry written behind the node's back, a reconnection loads again.
        await database.HashDeleteAsync(prefix + "ip", "deny|192.0.2.1");
        await database.HashSetAsync(prefix + "ip", "gray|192.0.2.3", """{"list":"gray","cidr":"192.0.2.3","added_by":"pod-x"}""");
        await inspect.GetServer(redis.Connection).ExecuteAsync("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");

        await Replica.WaitUntilAsync(() => node.Store.Find(IPAddress.Parse("192.0.2.3"))?.Kind == IpListKind.Gray, Soon, "the later entry loaded");
    }

    [Fact]
    public async Task Node_PoisonedEntryInTheHash_StartsAndEnforcesTheValidEntries()
    {
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        var prefix = Replica.UniquePrefix();
        await using var inspect = await Replica.InspectAsync(redis);
        await inspect.GetDatabase().HashSetAsync(prefix + "ip", "deny|192.0.2.1", """{"list":"deny","cidr":"192.0.2.1","expires":99999999999999999,"added_by":"pod-x"}""");
        await inspect.GetDatabase().HashSetAsync(prefix + "ip", "deny|127.0.0.1", """{"list":"deny","cidr":"127.0.0.1","reason":"shared","added_by":"pod-x"}""");

        await using var node = await NodeUnderTest.StartAsync(o => o with { Redis = RedisOptions.Parse(redis.Connection), RedisKeyPrefix = prefix });

        using var response = await node.Client.GetAsync(new Uri("/catalog", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Reconnect_RemovalMadeElsewhereWhileAway_IsNotUndoneAndLocalAdditionsArePublished()
    {
        // pod-b connects as its own Redis user, so the test can cut it off (and only it) and let it back in.
        await using var redis = new RedisServerProcess();
        await redis.StartAsync();
        var inspect = await Replica.InspectAsync(redis);
        var server = inspect.GetServer(redis.Connection);
        await server.ExecuteAsync("ACL", "SETUSER", "podb", "on", ">podb-secret", "~*", "&*", "+@all");
        await server.ExecuteAsync("ACL", "SETUSER", "default", "resetpass", ">root-secret");
        await inspect.DisposeAsync();
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Connection + ",allowAdmin=true,password=root-secret");
        server = admin.GetServer(redis.Connection);
        var prefix = Replica.UniquePrefix();
        await using var a = await Node.StartAsync(redis.Connection + ",password=root-secret", prefix, "pod-a");
        await using var b = await Node.StartAsync(redis.Connection + ",user=podb,password=podb-secret", prefix, "pod-b");
        var removed = IPAddress.Parse("192.0.2.50");
        var addedAway = IPAddress.Parse("192.0.2.51");
        a.Store.Add(new IpListEntry(IpCidr.Parse("192.0.2.50"), IpListKind.Deny, "removed while b is away"));
        await Replica.WaitUntilAsync(() => b.Store.Find(removed) is not null, Soon, "pod-b has the entry");

        await server.ExecuteAsync("ACL", "SETUSER", "podb", "off");
        await server.ExecuteAsync("CLIENT", "KILL", "USER", "podb");
        await Replica.WaitUntilAsync(() => !b.Replica.Connection.IsConnected, Soon, "pod-b cut off");
        a.Store.Remove(IpCidr.Parse("192.0.2.50"), IpListKind.Deny);
        b.Store.Add(new IpListEntry(IpCidr.Parse("192.0.2.51"), IpListKind.Gray, "added while away"));
        await Replica.WaitUntilAsync(() => b.Replication.PendingCount == 1, Soon, "pod-b's addition pending");

        await server.ExecuteAsync("ACL", "SETUSER", "podb", "on");

        await Replica.WaitUntilAsync(() => b.Store.Find(removed) is null, Soon, "pod-b applies the removal");
        await Replica.WaitUntilAsync(() => a.Store.Find(addedAway)?.Kind == IpListKind.Gray, Soon, "pod-a gets pod-b's addition");
        Assert.Null(a.Store.Find(removed));
        Assert.Null(b.Store.Find(removed));
        Assert.False(await admin.GetDatabase().HashExistsAsync(prefix + "ip", "deny|192.0.2.50"));
        Assert.Equal(0, b.Replication.PendingCount);
    }

    internal sealed class Node : IAsyncDisposable
    {
        private Node(Replica replica, IpAccessStore store, IpListReplication replication)
        {
            Replica = replica;
            Store = store;
            Replication = replication;
        }

        public Replica Replica { get; }

        public IpAccessStore Store { get; }

        public IpListReplication Replication { get; }

        public static Task<Node> StartAsync(RedisServerProcess redis, string prefix, string id) => StartAsync(redis.Connection, prefix, id);

        public static async Task<Node> StartAsync(string connection, string prefix, string id)
        {
            var replica = await Replica.ConnectAsync(connection, prefix, id);
            var store = new IpAccessStore([], TimeProvider.System);
            var replication = new IpListReplication(store, replica.Connection);
            await replication.StartAsync();
            return new Node(replica, store, replication);
        }

        public async ValueTask DisposeAsync()
        {
            await Replication.DisposeAsync();
            Store.Dispose();
            await Replica.DisposeAsync();
        }
    }
}
