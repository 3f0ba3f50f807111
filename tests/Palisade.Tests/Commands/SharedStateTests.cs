using System.Net;
using System.Text;
using Palisade.Node.Tests.Infrastructure;
using Palisade.Tests.Infrastructure;
using Palisade.TestUpstream;

namespace Palisade.Tests.Commands;

/// <summary>
/// Two node processes (two replicas of one pod template) in front of one application share a real redis-server:
/// one rate limit holds across both, a deny entry added through one's management API is enforced by the other,
/// and losing Redis leaves both serving until it is back and sharing resumes.
/// </summary>
public sealed class SharedStateTests : IAsyncLifetime
{
    private const int Limit = 10;

    private readonly RedisServerProcess _redis = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-shared-").FullName;
    private readonly HttpClient _client = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero });
    private TestUpstreamProcess _upstream = null!;
    private Replica _a = null!;
    private Replica _b = null!;

    public async ValueTask InitializeAsync()
    {
        await _redis.StartAsync();
        _upstream = await TestUpstreamProcess.StartAsync();
        var config = Path.Combine(_directory, "palisade.yaml");
        await File.WriteAllTextAsync(config, $"""
            mode: block
            rate-limits:
              - name: search
                path: /search
                key: ip
                limit: {Limit}
                window: 5m
            """);
        _a = Replica.Start(config, _redis.Connection, _upstream.Address, "replica-a");
        _b = Replica.Start(config, _redis.Connection, _upstream.Address, "replica-b");
        foreach (var replica in new[] { _a, _b })
        {
            await Wait.UntilAsync(async () => await ReadyAsync(replica) && (await MetricsAsync(replica)).Contains("palisade_redis_up 1", StringComparison.Ordinal), TimeSpan.FromSeconds(20), "the replica is ready and connected to Redis");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _a.Process.DisposeAsync();
        await _b.Process.DisposeAsync();
        await _upstream.DisposeAsync();
        await _redis.DisposeAsync();
        _client.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task RateLimit_SplitAcrossTwoReplicas_HoldsForTheirSum()
    {
        var allowed = 0;
        for (var i = 0; i < 2 * Limit; i++)
        {
            var replica = i % 2 == 0 ? _a : _b;
            using var response = await _client.GetAsync(new Uri(replica.Proxy, $"/search?n={i}"));
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, response.StatusCode.ToString());
            allowed += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
        }

        // Alone, each replica would have let all of its 10 through.
        Assert.Equal(Limit, allowed);
    }

    [Fact]
    public async Task DenyList_AddedThroughOneReplica_IsEnforcedByTheOtherWithinASecond()
    {
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(_b, "/catalog"));

        await AddDenyAsync(_a);
        await Wait.UntilAsync(async () => await StatusAsync(_b, "/catalog") == HttpStatusCode.Forbidden, TimeSpan.FromSeconds(1), "the other replica refuses the denied source");

        using var removed = await _client.DeleteAsync(new Uri(_a.Management, "/api/ip-lists/deny/127.0.0.1%2F32"));
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        await Wait.UntilAsync(async () => await StatusAsync(_b, "/catalog") == HttpStatusCode.OK, TimeSpan.FromSeconds(1), "the other replica serves the source again");
    }

    [Fact]
    public async Task Redis_KilledThenRestarted_BothKeepServingAndSharingResumes()
    {
        _redis.Kill();
        await Wait.UntilAsync(async () => (await MetricsAsync(_a)).Contains("palisade_redis_up 0", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "the replica notices Redis is gone");

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(_a, "/catalog"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(_b, "/catalog"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(_a, "/search?while=down"));

        await _redis.StartAsync();
        foreach (var replica in new[] { _a, _b })
        {
            await Wait.UntilAsync(async () => (await MetricsAsync(replica)).Contains("palisade_redis_up 1", StringComparison.Ordinal), TimeSpan.FromSeconds(15), "the replica reconnects by itself");
        }

        // Added right after the restart, maybe before this replica is back: it is published once it is.
        await AddDenyAsync(_a);
        await Wait.UntilAsync(async () => await StatusAsync(_b, "/catalog") == HttpStatusCode.Forbidden, TimeSpan.FromSeconds(10), "sharing resumed");
    }

    private async Task AddDenyAsync(Replica replica)
    {
        using var added = await _client.PostAsync(new Uri(replica.Management, "/api/ip-lists"), new StringContent("""{"list":"deny","cidr":"127.0.0.1","reason":"shared test","ttl":"10m"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
    }

    private async Task<HttpStatusCode> StatusAsync(Replica replica, string path)
    {
        using var response = await _client.GetAsync(new Uri(replica.Proxy, path));
        return response.StatusCode;
    }

    private async Task<bool> ReadyAsync(Replica replica)
    {
        try
        {
            using var response = await _client.GetAsync(new Uri(replica.Admin, "/readyz"));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private Task<string> MetricsAsync(Replica replica) => _client.GetStringAsync(new Uri(replica.Admin, "/metrics"));

    private sealed record Replica(PalisadeProcess Process, Uri Proxy, Uri Admin, Uri Management)
    {
        public static Replica Start(string config, string redis, Uri upstream, string name)
        {
            var (listen, admin, management) = (TestUpstreamProcess.FreePort(), TestUpstreamProcess.FreePort(), TestUpstreamProcess.FreePort());
            var process = PalisadeProcess.Start(
                ["node", "--config", config, "--listen", $"127.0.0.1:{listen}", "--admin-listen", $"127.0.0.1:{admin}",
                 "--management-listen", $"127.0.0.1:{management}", "--upstream", upstream.ToString(), "--redis", redis, "--log-level", "information"],
                new Dictionary<string, string> { ["HOSTNAME"] = name });
            return new Replica(process, new Uri($"http://127.0.0.1:{listen}"), new Uri($"http://127.0.0.1:{admin}"), new Uri($"http://127.0.0.1:{management}"));
        }
    }
}
