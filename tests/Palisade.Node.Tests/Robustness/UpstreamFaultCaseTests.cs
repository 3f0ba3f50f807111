using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Robustness;

/// <summary>ROBUSTNESS.md B.7: an application that breaks HTTP, against a node whose own framing stays intact.</summary>
public sealed class UpstreamFaultCaseTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private NodeUnderTest Node => fixture.Node;

    [Fact]
    public async Task U05_AShortBodyAfterTheHeaders_AbortsTheClientConnectionAndNeverLooksComplete()
    {
        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, "GET /__short-body HTTP/1.1\r\nHost: x\r\n\r\n", TimeSpan.FromSeconds(10));

        Assert.True(exchange.Closed);
        // The headers went out and the connection was cut before 10 bytes, or it was cut before anything went out,
        // or the node answered 502 itself: never 10 bytes that look like the whole body.
        var body = exchange.Response.Contains("\r\n\r\n", StringComparison.Ordinal) ? exchange.Response[(exchange.Response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..] : "";
        Assert.True(exchange.Statuses is [] or [502] || (exchange.Statuses is [200] && body.Length < 10), exchange.Response);
    }

    [Fact]
    public async Task U05_ExtraBytesAfterTheBody_AreDiscardedAndNeverBecomeTheNextResponse()
    {
        var marker = FrontDoorProbe.Marker("U05");
        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, $"GET /__long-body HTTP/1.1\r\nHost: x\r\n\r\nGET /{marker} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        Assert.DoesNotContain("smuggled", exchange.Response, StringComparison.Ordinal);
        Assert.DoesNotContain("EXTRABYTES", exchange.Response, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", exchange.Response, StringComparison.Ordinal);
        Assert.Contains("0123456789", exchange.Response, StringComparison.Ordinal);
        Assert.Equal([200, 200], exchange.Statuses);
        Assert.Contains("\"head\"", exchange.Response, StringComparison.Ordinal);
        Assert.Equal(1, await Node.Upstream!.ReceivedAsync(marker));
    }

    [Fact]
    public async Task U08_A101ToARequestThatAskedForNoUpgrade_Answers502AndOpensNoTunnel()
    {
        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, "GET /__switching HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", TimeSpan.FromSeconds(10));

        Assert.Equal([502], exchange.Statuses);
        Assert.DoesNotContain("raw tunnel bytes", exchange.Response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task U08_TwoInterim100Continues_AreNotPassedOnAsAResponse()
    {
        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, "GET /__double-continue HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", TimeSpan.FromSeconds(10));

        Assert.True(exchange.Statuses is [200] or [502], exchange.Response);
        Assert.DoesNotContain("100 Continue", exchange.Response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task U09_AnApplicationThatDoesNotReadTheBody_PushesBackOnTheClientInsteadOfBeingBuffered()
    {
        // A short drain: the stalled request is still in flight when the test ends.
        await using var node = await NodeUnderTest.StartAsync(o => o with { DrainTimeout = TimeSpan.FromSeconds(1) });
        var marker = FrontDoorProbe.Marker("U09");
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(node.Node.ProxyAddress.Host, node.Node.ProxyAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"POST /__stall/{marker} HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"));

        // Up to 256 MiB of clean binary body, in 64 KiB chunks, until a write has waited 3 s: the application
        // reads nothing, so everything accepted sits in buffers between the client and it.
        var chunk = System.Text.Encoding.ASCII.GetBytes("10000\r\n").Concat(new byte[64 * 1024]).Concat("\r\n"u8.ToArray()).ToArray();
        long accepted = 0;
        while (accepted < 256L << 20)
        {
            using var stalled = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                await stream.WriteAsync(chunk, stalled.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            accepted += 64 * 1024;
        }

        // The node buffers the inspection limit (1 MiB) and then streams with bounded buffers; the rest is the
        // sockets' own buffers on loopback (a few MiB each way).
        Assert.True(accepted < 32L << 20, $"{accepted >> 20} MiB were taken from a client whose application reads nothing");
        Assert.Equal(1, await node.Upstream!.ReceivedAsync(marker));
    }

    [Fact]
    public async Task S05_AHugeContentLengthWithoutABody_IsClosedByTheMinimumDataRateNotAllocated()
    {
        await using var node = await NodeUnderTest.StartAsync();
        var marker = FrontDoorProbe.Marker("S05");

        var exchange = await RawExchange.SendAsync(node.Node.ProxyAddress, $"POST /{marker} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n{{\"a\":1", TimeSpan.FromSeconds(20));

        Assert.True(exchange.Closed, exchange.Response);
        Assert.True(exchange.Statuses is [] or [408] or [400] or [413], exchange.Response);
        Assert.Equal(0, await node.Upstream!.ReceivedAsync(marker));
    }
}
