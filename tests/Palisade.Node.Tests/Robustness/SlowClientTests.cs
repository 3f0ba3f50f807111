using System.Net.Sockets;
using System.Text;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Robustness;

/// <summary>
/// ROBUSTNESS.md B.6, one connection at a time: a slow head, a slow body and the connection cap each end where the
/// configuration says. The load versions (2,000 slow clients while clean traffic keeps flowing) are bench runs.
/// </summary>
public sealed class SlowClientTests
{
    [Fact]
    public async Task L01_AHeadSentAByteAtATime_Gets408AtTheHeadersTimeoutAndIsClosed()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { RequestHeadersTimeout = TimeSpan.FromSeconds(1) });
        var marker = FrontDoorProbe.Marker("L01");
        using var client = new TcpClient();
        await client.ConnectAsync(node.Node.ProxyAddress.Host, node.Node.ProxyAddress.Port);
        var stream = client.GetStream();

        // Slowloris: a byte every 200 ms, well past the 1 s the head may take.
        var head = Encoding.ASCII.GetBytes($"GET /{marker} HTTP/1.1\r\nHost: x\r\nX-Slow: ");
        var answer = new MemoryStream();
        var reading = stream.CopyToAsync(answer);
        foreach (var b in head.Concat(Enumerable.Repeat((byte)'a', 40)))
        {
            if (reading.IsCompleted)
            {
                break;
            }

            try
            {
                await stream.WriteAsync(new[] { b });
            }
            catch (IOException)
            {
                break;
            }

            await Task.Delay(200);
        }

        await reading.WaitAsync(TimeSpan.FromSeconds(10));
        var response = Encoding.ASCII.GetString(answer.ToArray());

        Assert.StartsWith("HTTP/1.1 408", response, StringComparison.Ordinal);
        Assert.Contains("request_headers_timeout", response, StringComparison.Ordinal);
        Assert.Equal(0, await node.Upstream!.ReceivedAsync(marker));
        Assert.Equal(1, await FrontDoorProbe.ViolationsAsync(node, "request_headers_timeout"));
    }

    [Fact]
    public async Task L02_ABodySentSlowerThanTheMinimumRate_Gets408AndIsNeverForwarded()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { MinRequestBodyRate = 240 });
        var marker = FrontDoorProbe.Marker("L02");
        using var client = new TcpClient();
        await client.ConnectAsync(node.Node.ProxyAddress.Host, node.Node.ProxyAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /{marker} HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n"));

        // A byte a second: 240 B/s is required after the 5 s grace.
        var answer = new MemoryStream();
        var reading = stream.CopyToAsync(answer);
        for (var i = 0; i < 20 && !reading.IsCompleted; i++)
        {
            try
            {
                await stream.WriteAsync("x"u8.ToArray());
            }
            catch (IOException)
            {
                break;
            }

            await Task.Delay(1000);
        }

        await reading.WaitAsync(TimeSpan.FromSeconds(10));
        var response = Encoding.ASCII.GetString(answer.ToArray());

        Assert.True(response.Length == 0 || response.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), response);
        Assert.Equal(0, await node.Upstream!.ReceivedAsync(marker));
    }

    [Fact]
    public async Task L04_ConnectionsPastTheCap_AreClosedAtOnceAndTheCapFreesUp()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { MaxConnections = 3 });
        var address = node.Node.ProxyAddress;
        var held = new List<TcpClient>();
        for (var i = 0; i < 3; i++)
        {
            var client = new TcpClient();
            await client.ConnectAsync(address.Host, address.Port);
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET /l04 HTTP/1.1\r\nHost: x\r\n\r\n"));
            _ = await client.GetStream().ReadAsync(new byte[4096]);
            held.Add(client);
        }

        var refused = await RawExchange.SendAsync(address, "GET /l04/over HTTP/1.1\r\nHost: x\r\n\r\n", TimeSpan.FromSeconds(5));
        held[0].Dispose();
        var admitted = await WaitForAnswerAsync(address);

        Assert.True(refused.Closed);
        Assert.Empty(refused.Statuses);
        Assert.Equal(200, admitted);
        foreach (var client in held)
        {
            client.Dispose();
        }
    }

    // Kestrel frees the slot when it notices the close: retry until a request is served.
    private static async Task<int> WaitForAnswerAsync(Uri address)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var exchange = await RawExchange.SendAsync(address, "GET /l04/again HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", TimeSpan.FromSeconds(2));
            if (exchange.Statuses is [var status])
            {
                return status;
            }

            await Task.Delay(100);
        }

        return 0;
    }
}
