using System.Net;
using System.Text.Json;
using Palisade.Node.SharedState;
using Palisade.Node.Tests.Infrastructure;
using Palisade.Node.Tests.SharedState;

namespace Palisade.Node.Tests.Admin;

/// <summary>One management API shows the events of every replica sharing a Redis.</summary>
public sealed class SharedEventEndpointTests(RedisServerProcess redis) : IClassFixture<RedisServerProcess>
{
    [Fact]
    public async Task SharedEvents_AttacksOnTwoReplicas_BothListedByEither()
    {
        var prefix = Replica.UniquePrefix();
        await using var a = await NodeUnderTest.StartAsync(o => o with { Redis = RedisOptions.Parse(redis.Connection), RedisKeyPrefix = prefix });
        await using var b = await NodeUnderTest.StartAsync(o => o with { Redis = RedisOptions.Parse(redis.Connection), RedisKeyPrefix = prefix });
        var onA = await AttackAsync(a);
        var onB = await AttackAsync(b);
        using var management = new HttpClient { BaseAddress = a.Node.ManagementAddress };

        var seen = new HashSet<string>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(seen.Contains(onA) && seen.Contains(onB)))
        {
            Assert.True(DateTime.UtcNow < deadline, "both replicas' events within 10 s");
            await Task.Delay(50);
            using var page = JsonDocument.Parse(await management.GetStringAsync(new Uri("/api/shared-events?limit=50", UriKind.Relative)));
            seen = page.RootElement.GetProperty("events").EnumerateArray()
                .Select(e => e.GetProperty("event").GetProperty("request_id").GetString()!).ToHashSet();
        }
    }

    [Fact]
    public async Task SharedEvents_WithoutRedis_Is404()
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var management = new HttpClient { BaseAddress = node.Node.ManagementAddress };

        using var response = await management.GetAsync(new Uri("/api/shared-events", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<string> AttackAsync(NodeUnderTest node)
    {
        using var response = await node.Client.GetAsync(new Uri("/search?q=%3Cscript%3Ealert(1)%3C/script%3E", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id"));
    }
}
