using System.Net;
using System.Text;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.RateLimiting;

/// <summary>Rate limits and brute-force rules on the request path of a real node in front of a real application.</summary>
public sealed class RateLimitEnforcementTests
{
    [Fact]
    public async Task Limit_Exceeded_Answers429WithRetryAfterWithoutReachingTheApplication()
    {
        await using var node = await NodeUnderTest.StartFromFileAsync("""
            mode: block
            rate-limits:
              - name: search
                path: /search
                key: ip
                limit: 3
                window: 1m
            """);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await node.Client.GetAsync(new Uri($"/search?n={i}", UriKind.Relative));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.InRange(int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
            }
        }

        using var other = await node.Client.GetAsync(new Uri("/catalog", UriKind.Relative));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(0, await node.Upstream!.ReceivedAsync("/search?n=3"));
        Assert.Contains("palisade_rate_limit_hits_total{rule=\"search\"", await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limit_InMonitoringMode_IsCountedNotEnforced()
    {
        await using var node = await NodeUnderTest.StartFromFileAsync("""
            mode: monitoring
            rate-limits:
              - name: search
                path: /search
                key: ip
                limit: 1
                window: 1m
            """);

        for (var i = 0; i < 3; i++)
        {
            using var response = await node.Client.GetAsync(new Uri("/search", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task BruteForce_FailedLoginsPerUser_GraylistTheSourceAndRefuseTheNextAttempt()
    {
        await using var node = await NodeUnderTest.StartFromFileAsync("""
            mode: safe_blocking
            rate-limits:
              - name: login
                path: /__status/401
                kind: failures
                statuses: [401]
                key: json:username
                limit: 3
                window: 5m
                action: graylist
                graylist-for: 15m
            """);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var attempt = await node.Client.PostAsync(new Uri("/__status/401", UriKind.Relative), new StringContent("""{"username":"alice","password":"guess"}""", Encoding.UTF8, "application/json"));
            statuses.Add(attempt.StatusCode);
        }

        using var otherUser = await node.Client.PostAsync(new Uri("/__status/401", UriKind.Relative), new StringContent("""{"username":"bob","password":"x"}""", Encoding.UTF8, "application/json"));
        using var management = new HttpClient { BaseAddress = node.Node.ManagementAddress };
        var lists = await management.GetStringAsync(new Uri("/api/ip-lists", UriKind.Relative));
        using var attack = await node.Client.GetAsync(new Uri("/search?q=%3Cscript%3Ealert(1)%3C/script%3E", UriKind.Relative));

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.Unauthorized, otherUser.StatusCode);
        Assert.Contains("\"rate-limit login\"", lists, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, attack.StatusCode);
    }

    [Fact]
    public async Task I07_ReloadWithTheSameRule_KeepsItsCounters()
    {
        const string Config = """
            mode: block
            rate-limits:
              - name: search
                path: /search
                key: ip
                limit: 2
                window: 1m
            """;
        await using var node = await NodeUnderTest.StartFromFileAsync(Config);
        for (var i = 0; i < 2; i++)
        {
            using var allowed = await node.Client.GetAsync(new Uri("/search", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        await File.WriteAllTextAsync(node.ConfigFile!, Config + "\nblock-status: 403\n");
        Assert.True(await node.Node.ReloadAsync());

        using var refused = await node.Client.GetAsync(new Uri("/search", UriKind.Relative));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
    }
}
