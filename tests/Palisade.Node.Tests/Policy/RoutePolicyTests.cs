using System.Net;
using System.Text;
using Palisade.Detection.Engine;
using Palisade.Detection.Rules;
using Palisade.Detection.Verdicts;
using Palisade.Node.Configuration;
using Palisade.Node.Policy;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Policy;

/// <summary>Routes, exclusions and rules as a real node applies them to real requests.</summary>
public sealed class RoutePolicyTests
{
    private const string Xss = "<script>alert(1)</script>";

    [Fact]
    public async Task Route_OwnMode_MonitorsThereAndBlocksElsewhere()
    {
        await using var node = await NodeUnderTest.StartFromFileAsync("""
            mode: block
            routes:
              - name: legacy
                path: /legacy
                mode: monitoring
            """);

        using var monitored = await node.Client.GetAsync(new Uri("/legacy/search?q=" + Uri.EscapeDataString(Xss), UriKind.Relative));
        using var blocked = await node.Client.GetAsync(new Uri("/search?q=" + Uri.EscapeDataString(Xss), UriKind.Relative));
        using var traversal = await node.Client.GetAsync(new Uri("/legacy/%2e%2e/search?q=" + Uri.EscapeDataString(Xss), UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, monitored.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, traversal.StatusCode);
        var attack = await node.Events.WaitForAsync(Assert.Single(monitored.Headers.GetValues("X-Palisade-Request-Id")));
        Assert.Equal("legacy", attack.GetProperty("route").GetString());
        Assert.Equal("monitor", attack.GetProperty("action").GetString());
        var metrics = await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("palisade_route_decisions_total{route=\"legacy\",action=\"monitor\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("palisade_route_decisions_total{route=\"default\",action=\"block\"} 2", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public void Stricter_TakesTheStricterModesRouteAndEverySettingsStricterValue()
    {
        var lax = new RoutePolicy("static", RequestMatcher.Any, EnforcementMode.Off, 1024, OversizePolicy.Reject, FailOpen: true, OverlimitPolicy.Pass);
        var strict = new RoutePolicy("default", RequestMatcher.Any, EnforcementMode.Block, 512, OversizePolicy.InspectPrefixAndPass, FailOpen: false, OverlimitPolicy.Pass);

        foreach (var merged in new[] { RoutePolicy.Stricter(lax, strict), RoutePolicy.Stricter(strict, lax) })
        {
            Assert.Equal("default", merged.Name);
            Assert.Equal(EnforcementMode.Block, merged.Mode);
            Assert.Equal(1024, merged.InspectionLimit);
            Assert.Equal(OversizePolicy.Reject, merged.OversizePolicy);
            Assert.False(merged.FailOpen);
            Assert.Equal(OverlimitPolicy.Pass, merged.OverlimitPolicy);
        }

        Assert.Same(lax, RoutePolicy.Stricter(lax, lax));
        Assert.Equal("static", RoutePolicy.Stricter(lax, lax with { Name = "other" }).Name);
    }

    [Theory]
    [InlineData("/api/items", HttpStatusCode.OK)]
    [InlineData("/api/admin/users", HttpStatusCode.Forbidden)]
    public async Task Exclusion_ScopedByRoute_AppliesOnlyToRequestsThatRouteTook(string path, HttpStatusCode expected)
    {
        await using var node = await NodeUnderTest.StartFromFileAsync("""
            mode: block
            routes:
              - name: admin
                path: /api/admin
              - name: api
                path: /api
            exclusions:
              - name: api-search
                route: api
                points: [query.q]
            """);

        using var response = await node.Client.GetAsync(new Uri(path + "?q=" + Uri.EscapeDataString(Xss), UriKind.Relative));

        // /api/admin/users is under the api route's path too, but the earlier admin route took it.
        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("post")]
    [InlineData("Post")]
    public async Task VirtualPatch_MethodScope_IgnoresTheCaseTheClientChose(string method)
    {
        await using var node = await NodeUnderTest.StartFromFileAsync("""
            mode: block
            virtual-patches:
              - name: no-login-post
                path: /login
                methods: [POST]
            """);

        var exchange = await Robustness.RawExchange.SendAsync(node.Node.ProxyAddress, $"{method} /login HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        Assert.Equal([403], exchange.Statuses);
    }

    [Theory]
    [InlineData("/payments/charge", HttpStatusCode.ServiceUnavailable)]
    [InlineData("/catalog", HttpStatusCode.OK)]
    public async Task Route_FailOpen_IsPerRoute(string path, HttpStatusCode expected)
    {
        await using var node = await NodeUnderTest.StartFromFileAsync("""
            mode: block
            fail-open: true
            routes:
              - name: payments
                path: /payments
                fail-open: false
            """, engine: new InspectionEngine([new ThrowingDetector()]));

        using var response = await node.Client.GetAsync(new Uri(path + "?x=boom", UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Route_InspectionLimitAndOversizePolicy_ArePerRoute()
    {
        await using var node = await NodeUnderTest.StartFromFileAsync("""
            mode: block
            routes:
              - name: upload
                path: /upload
                inspection-limit: 1KiB
                oversize-policy: reject
            """);
        var body = new string('a', 4096);

        using var upload = await node.Client.PostAsync(new Uri("/upload", UriKind.Relative), new StringContent(body));
        using var other = await node.Client.PostAsync(new Uri("/other", UriKind.Relative), new StringContent(body));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, upload.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Theory]
    [InlineData("/import/orders", HttpStatusCode.OK)]
    [InlineData("/orders", HttpStatusCode.Forbidden)]
    public async Task Route_OverlimitPolicy_DecidesWhatAnExhaustedBudgetDoes(string path, HttpStatusCode expected)
    {
        await using var node = await NodeUnderTest.StartFromFileAsync("""
            mode: block
            overlimit-policy: block
            routes:
              - name: bulk-import
                path: /import
                overlimit-policy: pass
            """);

        // Nested deeper than the decode-depth budget: eleven rounds of percent-encoding.
        var value = "x";
        for (var i = 0; i < 11; i++)
        {
            value = Uri.EscapeDataString(value + "%");
        }

        using var response = await node.Client.GetAsync(new Uri($"{path}?v={value}", UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Exclusion_OnARoute_LetsThatPointThroughOnly()
    {
        await using var node = await NodeUnderTest.StartFromFileAsync("""
            mode: block
            exclusions:
              - path: /blog
                point: body.json.comment
                detectors: [xss]
            """);

        using var excluded = await PostJsonAsync(node, "/blog/posts/1/comments", $$"""{"comment":"{{Xss}}"}""");
        using var otherPoint = await PostJsonAsync(node, "/blog/posts/1/comments", $$"""{"title":"{{Xss}}"}""");
        using var otherRoute = await PostJsonAsync(node, "/shop/reviews", $$"""{"comment":"{{Xss}}"}""");
        using var otherType = await PostJsonAsync(node, "/blog/posts/1/comments", """{"comment":"1' union select password from users--"}""");

        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden],
            [excluded.StatusCode, otherPoint.StatusCode, otherRoute.StatusCode, otherType.StatusCode]);
    }

    [Fact]
    public async Task VirtualPatch_InMonitoringMode_IsLoggedNotBlocked()
    {
        await using var node = await NodeUnderTest.StartFromFileAsync("""
            mode: monitoring
            virtual-patches:
              - name: no-debug
                point: query.debug
                equals: "1"
            """);

        using var response = await node.Client.GetAsync(new Uri("/x?debug=1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var attack = await node.Events.WaitForAsync(Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id")));
        var finding = Assert.Single(attack.GetProperty("findings").EnumerateArray());
        Assert.Equal("virtual_patch", finding.GetProperty("type").GetString());
    }

    [Fact]
    public async Task AllowRule_WithAToken_SkipsDetectionForThatRequestOnly()
    {
        await using var node = await NodeUnderTest.StartFromFileAsync("""
            mode: block
            allow-rules:
              - name: dast-scanner
                point: header.x-scan-token
                equals: 9f1c2e
            """);

        using var allowed = await SendAsync(node, "/search?q=" + Uri.EscapeDataString(Xss), ("X-Scan-Token", "9f1c2e"));
        using var guessed = await SendAsync(node, "/search?q=" + Uri.EscapeDataString(Xss), ("X-Scan-Token", "000000"));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, guessed.StatusCode);
    }

    private static Task<HttpResponseMessage> PostJsonAsync(NodeUnderTest node, string path, string json) =>
        node.Client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<HttpResponseMessage> SendAsync(NodeUnderTest node, string path, (string Name, string Value) header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add(header.Name, header.Value);
        return await node.Client.SendAsync(request);
    }
}
