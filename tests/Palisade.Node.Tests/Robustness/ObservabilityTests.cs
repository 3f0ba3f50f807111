using System.Net;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Robustness;

/// <summary>ROBUSTNESS.md B.11: what the node's metrics and its own answers give away.</summary>
public sealed class ObservabilityTests
{
    [Fact]
    public async Task A04_RandomPathsAndHeaderNames_NeverBecomeMetricLabels()
    {
        await using var node = await NodeUnderTest.StartAsync();
        var before = await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var seen = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            var token = "zq" + Guid.NewGuid().ToString("N")[..10];
            seen.Add(token);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"/{token}?{token}=1' or '1'='1", UriKind.Relative));
            request.Headers.TryAddWithoutValidation("X-" + token, token);
            using var response = await node.Client.SendAsync(request);
        }

        var after = await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.DoesNotContain(seen, t => after.Contains(t, StringComparison.Ordinal));
        Assert.Equal(Series(before), Series(after));
    }

    [Fact]
    public async Task A05_MetricsCarryNoRequestContentOrSecrets()
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/login?password=hunter2", UriKind.Relative))
        {
            Content = new StringContent("password=hunter2&q=1' union select password from users--", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer s3cr3t-token");
        request.Headers.TryAddWithoutValidation("Cookie", "session=abcdef123456");
        using var response = await node.Client.SendAsync(request);

        var metrics = await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        foreach (var secret in new[] { "hunter2", "s3cr3t-token", "abcdef123456", "union select", "/login" })
        {
            Assert.DoesNotContain(secret, metrics, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("/blocked?q=<script>alert(1)</script>", "GET / HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("/search?id=1%27%20or%20%271%27%3D%271", "GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")]
    public async Task A06_TheNodesOwnAnswers_CarryNoServerHeaderNoStackTraceOnlyTheRequestId(string blockedPath, string violation)
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var blocked = await node.Client.GetAsync(new Uri(blockedPath, UriKind.Relative));
        var blockedBody = await blocked.Content.ReadAsStringAsync();
        var rejected = await RawExchange.SendAsync(node.Node.ProxyAddress, violation);
        await using var down = await NodeUnderTest.StartAsync(withUpstream: false);
        using var badGateway = await down.Client.GetAsync(new Uri("/", UriKind.Relative));
        var badGatewayBody = await badGateway.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, badGateway.StatusCode);
        Assert.False(blocked.Headers.Contains("Server"));
        Assert.False(badGateway.Headers.Contains("Server"));
        Assert.DoesNotContain("Server:", rejected.Response, StringComparison.OrdinalIgnoreCase);
        foreach (var body in new[] { blockedBody, badGatewayBody, rejected.Response })
        {
            Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
            Assert.DoesNotContain("Kestrel", body, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("<script>", blockedBody, StringComparison.Ordinal);
        Assert.Contains(blocked.Headers.GetValues("X-Palisade-Request-Id").Single(), blockedBody, StringComparison.Ordinal);
    }

    private static List<string> Series(string metrics) =>
        metrics.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l[..l.LastIndexOf(' ')]).Where(s => !s.StartsWith("dotnet_", StringComparison.Ordinal) && !s.StartsWith("process_", StringComparison.Ordinal)).Order().ToList();
}
