using System.Net;
using System.Text.Json;
using Palisade.Detection.Verdicts;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Proxy;

/// <summary>The four modes, end to end: what the client gets, what the application gets, what is recorded.</summary>
public sealed class EnforcementModeTests
{
    private const string SqliTarget = "/items?id=1%27%20OR%20%271%27%3D%271";
    private const string XssTarget = "/search?q=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E";

    [Theory]
    [InlineData(SqliTarget, "sqli")]
    [InlineData(XssTarget, "xss")]
    public async Task Block_Attack_Answers403AndNeverForwards(string target, string type)
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { Mode = EnforcementMode.Block });
        var marker = Guid.NewGuid().ToString("N");
        using var response = await node.Client.GetAsync(new Uri(target + "&m=" + marker, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var id = Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id"));
        var attack = await node.Events.WaitForAsync(id);
        Assert.Equal("block", attack.GetProperty("action").GetString());
        Assert.Equal("block", attack.GetProperty("mode").GetString());
        Assert.Contains(attack.GetProperty("findings").EnumerateArray(), f => f.GetProperty("type").GetString() == type && f.GetProperty("point").GetString() == "query." + (type == "sqli" ? "id" : "q"));
        Assert.Equal(0, await node.Upstream!.ReceivedAsync(marker));
    }

    [Fact]
    public async Task Monitoring_Attack_PassesAndRecordsEvent()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { Mode = EnforcementMode.Monitoring });
        var marker = Guid.NewGuid().ToString("N");
        using var response = await node.Client.GetAsync(new Uri(SqliTarget + "&m=" + marker, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id"));
        var attack = await node.Events.WaitForAsync(id);
        Assert.Equal("monitor", attack.GetProperty("action").GetString());
        Assert.Equal(1, await node.Upstream!.ReceivedAsync(marker));
    }

    [Fact]
    public async Task Off_Attack_PassesWithoutInspectionOrEvent()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { Mode = EnforcementMode.Off });
        using var response = await node.Client.GetAsync(new Uri(SqliTarget, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var metrics = await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("palisade_requests_total{action=\"pass\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("palisade_inspection_duration_seconds_count 0", metrics, StringComparison.Ordinal);
        await node.Node.StopAsync();
        Assert.Empty(node.Events.Text);
    }

    [Theory]
    [InlineData("203.0.113.9", HttpStatusCode.Forbidden, "block")]
    [InlineData("198.51.100.7", HttpStatusCode.OK, "monitor")]
    public async Task SafeBlocking_Attack_BlockedOnlyFromGraylistedSources(string client, HttpStatusCode expected, string action)
    {
        // The test client reaches the node from 127.0.0.1, a trusted proxy here, so X-Forwarded-For names the source.
        await using var node = await NodeUnderTest.StartAsync(o => o with
        {
            Mode = EnforcementMode.SafeBlocking,
            TrustedProxies = [IPNetwork.Parse("127.0.0.1/32")],
            Graylist = [IPNetwork.Parse("203.0.113.0/24")],
        });
        using var request = new HttpRequestMessage(HttpMethod.Get, SqliTarget);
        request.Headers.Add("X-Forwarded-For", client);
        using var response = await node.Client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        var attack = await node.Events.WaitForAsync(Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id")));
        Assert.Equal(action, attack.GetProperty("action").GetString());
        Assert.Equal(client, attack.GetProperty("client_ip").GetString());
    }

    [Fact]
    public async Task SafeBlocking_CleanRequestFromGraylistedSource_Passes()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { Mode = EnforcementMode.SafeBlocking, Graylist = [IPNetwork.Parse("127.0.0.0/8")] });
        using var response = await node.Client.GetAsync(new Uri("/items?id=42&name=O%27Brien", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("application/json", "application/json")]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html")]
    [InlineData("*/*", "text/html")]
    public async Task Block_ResponseFormat_FollowsAcceptAndCarriesOnlyTheRequestId(string accept, string expectedType)
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { BlockStatus = 406 });
        using var request = new HttpRequestMessage(HttpMethod.Get, XssTarget);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await node.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Equal(expectedType, response.Content.Headers.ContentType!.MediaType);
        var id = Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(id, body, StringComparison.Ordinal);
        Assert.DoesNotContain("script", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("alert", body, StringComparison.OrdinalIgnoreCase);
        if (expectedType == "application/json")
        {
            var json = JsonDocument.Parse(body).RootElement;
            Assert.Equal("request_blocked", json.GetProperty("error").GetString());
            Assert.Equal(406, json.GetProperty("status").GetInt32());
        }
    }

    [Fact]
    public async Task Block_AttackInJsonBody_BlockedBeforeAnyByteIsForwarded()
    {
        await using var node = await NodeUnderTest.StartAsync();
        var marker = Guid.NewGuid().ToString("N");
        using var content = new StringContent($$"""{"user":{"name":"x' UNION SELECT password FROM users--"},"m":"{{marker}}"}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await node.Client.PostAsync(new Uri("/api/users?m=" + marker, UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var attack = await node.Events.WaitForAsync(Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id")));
        Assert.Contains(attack.GetProperty("findings").EnumerateArray(), f => f.GetProperty("point").GetString() == "body.json.user.name");
        Assert.Equal(0, await node.Upstream!.ReceivedAsync(marker));
    }
}
