using System.Net.Sockets;
using System.Text;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Robustness;

/// <summary>ROBUSTNESS.md B.1, the connection-state cases: Expect: 100-continue, h2c upgrade, refused WebSocket upgrade.</summary>
public sealed class UpgradeTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private NodeUnderTest Node => fixture.Node;

    [Fact]
    public async Task F13_ExpectContinueWithABlockedBody_IsInspectedBeforeForwardingAndTheConnectionStaysUsable()
    {
        var marker = FrontDoorProbe.Marker("F13");
        const string Body = "q=1' union select password from users--";
        using var client = new TcpClient();
        await client.ConnectAsync(Node.Node.ProxyAddress.Host, Node.Node.ProxyAddress.Port);
        var stream = client.GetStream();

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /{marker} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {Body.Length}\r\nExpect: 100-continue\r\n\r\n"));
        var interim = await ReadUntilAsync(stream, "\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(Body));
        var blocked = await ReadResponseAsync(stream);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /{marker}/after HTTP/1.1\r\nHost: x\r\n\r\n"));
        var after = await ReadResponseAsync(stream);

        Assert.StartsWith("HTTP/1.1 100 Continue", interim, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 403", blocked, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200", after, StringComparison.Ordinal);
        Assert.Equal(1, await Node.Upstream!.ReceivedAsync(marker));
    }

    [Fact]
    public async Task F14_H2cUpgrade_IsNotForwardedAndNoTunnelIsOpened()
    {
        var marker = FrontDoorProbe.Marker("F14");
        var request = $"GET /{marker} HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\nConnection: Upgrade, HTTP2-Settings\r\n\r\n"
            + $"GET /{marker}/second?id=1%27%20union%20select%20password%20from%20users-- HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, request);

        Assert.Equal([200, 403], exchange.Statuses);
        Assert.DoesNotContain("101 Switching", exchange.Response, StringComparison.Ordinal);
        var recorded = Recorded.FromRawResponse(exchange.Response[..exchange.Response.IndexOf("HTTP/1.1 403", StringComparison.Ordinal)]);
        Assert.Empty(recorded.Values("Upgrade"));
        Assert.Empty(recorded.Values("HTTP2-Settings"));
    }

    [Fact]
    public async Task F15_AWebSocketUpgradeTheApplicationRefuses_LeavesTheConnectionInHttpAndTheNextRequestIsInspected()
    {
        var marker = FrontDoorProbe.Marker("F15");
        var request = $"GET /__refuse-upgrade?m={marker} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
            + $"GET /{marker}/smuggled?id=1%27%20union%20select%20password%20from%20users-- HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, request);

        Assert.Equal([426, 403], exchange.Statuses);
        Assert.Equal(1, await Node.Upstream!.ReceivedAsync(marker));
    }

    [Fact]
    public async Task F15_AfterA101_TheBytesAreATunnelNotRequests()
    {
        var marker = FrontDoorProbe.Marker("F15");
        using var client = new TcpClient();
        await client.ConnectAsync(Node.Node.ProxyAddress.Host, Node.Node.ProxyAddress.Port);
        var stream = client.GetStream();

        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET /{marker}/ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        var switched = await ReadUntilAsync(stream, "\r\n\r\n");
        // A masked text frame whose payload looks like a broken HTTP request: tunnel bytes, not a violation.
        var payload = Encoding.ASCII.GetBytes("GET / HTTP/9.9\r\nHost : a\r\n\n");
        var mask = new byte[] { 1, 2, 3, 4 };
        var frame = new byte[] { 0x81, (byte)(0x80 | payload.Length) }.Concat(mask).Concat(payload.Select((b, i) => (byte)(b ^ mask[i % 4]))).ToArray();
        await stream.WriteAsync(frame);
        var echo = new byte[2 + payload.Length];
        await stream.ReadExactlyAsync(echo);

        Assert.StartsWith("HTTP/1.1 101", switched, StringComparison.Ordinal);
        Assert.Equal(payload, echo[2..]);
    }

    private static async Task<string> ReadUntilAsync(NetworkStream stream, string end)
    {
        var text = new StringBuilder();
        var one = new byte[1];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!text.ToString().EndsWith(end, StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, timeout.Token) == 0)
            {
                break;
            }

            text.Append((char)one[0]);
        }

        return text.ToString();
    }

    // A response with a Content-Length body (what the node and the recorder send).
    private static async Task<string> ReadResponseAsync(NetworkStream stream)
    {
        var head = await ReadUntilAsync(stream, "\r\n\r\n");
        var lengthLine = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = lengthLine is null ? 0 : int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var body = new byte[length];
        await stream.ReadExactlyAsync(body);
        return head + Encoding.Latin1.GetString(body);
    }
}
