using System.Net;
using Palisade.Node.Configuration;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Inspection;

/// <summary>Bodies over the inspection limit follow the configured policy.</summary>
public sealed class OversizeBodyTests
{
    [Fact]
    public async Task S03_Reject_BodyOverLimitWithContentLength_Answers413WithoutForwarding()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { InspectionLimit = 1024, OversizePolicy = OversizePolicy.Reject });
        var marker = Guid.NewGuid().ToString("N");
        using var content = new ByteArrayContent(new byte[4096]);
        using var response = await node.Client.PostAsync(new Uri("/up?m=" + marker, UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await node.Upstream!.ReceivedAsync(marker));
        Assert.Contains("palisade_requests_total{action=\"reject\"} 1", await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task S03_Reject_BodyOverLimit_AnswersConnectionCloseAndEndsTheConnection()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { InspectionLimit = 1024, OversizePolicy = OversizePolicy.Reject });
        var exchange = await Palisade.Node.Tests.Robustness.RawExchange.SendAsync(
            node.Node.ProxyAddress, "POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 30000000\r\n\r\n" + new string('x', 1000), TimeSpan.FromSeconds(15));

        // 413 at once, announced as the connection's last answer; the connection ends once the client stops sending
        // (Kestrel's minimum data rate ends the lingering read of a body that will never be used).
        Assert.StartsWith("HTTP/1.1 413", exchange.Response, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", exchange.Response, StringComparison.OrdinalIgnoreCase);
        Assert.True(exchange.Closed);
    }

    [Fact]
    public async Task S04_Reject_ChunkedBodyOverLimit_Answers413()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { InspectionLimit = 1024, OversizePolicy = OversizePolicy.Reject });
        var response = await RawHttp.SendAsync(node.Node.ProxyAddress,
            "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" + new string('a', 2048) + "\r\n0\r\n\r\n",
            until: r => r.Contains("\r\n\r\n", StringComparison.Ordinal));
        Assert.StartsWith("HTTP/1.1 413", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task F13_S03_Reject_ExpectContinueOverLimit_Answers413WithoutAskingForTheBody()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { InspectionLimit = 1024, OversizePolicy = OversizePolicy.Reject });
        var response = await RawHttp.SendAsync(node.Node.ProxyAddress,
            "POST /up HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1000000\r\n\r\n",
            until: r => r.Contains("\r\n\r\n", StringComparison.Ordinal));
        Assert.StartsWith("HTTP/1.1 413", response, StringComparison.Ordinal);
        Assert.DoesNotContain("100 Continue", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reject_BodyWithinLimit_Forwarded()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { InspectionLimit = 1024, OversizePolicy = OversizePolicy.Reject });
        using var content = new ByteArrayContent(new byte[1024]);
        using var response = await node.Client.PostAsync(new Uri("/up", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task S01_InspectPrefix_AttackInPrefixOfLargeBody_Blocked()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { InspectionLimit = 1024 });
        var body = "comment=%3Cscript%3Ealert(1)%3C%2Fscript%3E&pad=" + new string('x', 8192);
        using var content = new StringContent(body, System.Text.Encoding.ASCII, "application/x-www-form-urlencoded");
        using var response = await node.Client.PostAsync(new Uri("/form", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var attack = await node.Events.WaitForAsync(Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id")));
        Assert.True(attack.GetProperty("body_truncated").GetBoolean());
    }
}
