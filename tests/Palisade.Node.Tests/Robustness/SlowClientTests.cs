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
    public async Task L03_AClientThatStopsReadingALargeResponse_IsDroppedAndTheApplicationReleased()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { UpstreamTimeout = TimeSpan.FromSeconds(2) });
        var marker = FrontDoorProbe.Marker("L03");
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };

        // Read the head and a little of the 64 MiB body, then stop reading (slowhttptest -X): the kernel buffers fill,
        // the node's writes stall, and after the 2 s timeout without progress the connection is dropped.
        var read = await StartLargeDownloadAsync(client, node, marker);
        var buffer = new byte[4096];

        var released = await WaitAsync(async () => await node.Upstream!.ReceivedAsync("large-aborted:" + marker) == 1, TimeSpan.FromSeconds(20));

        // The client finds the connection closed (or reset) once it drains what was queued: never a complete 64 MiB.
        var total = (long)read;
        client.ReceiveTimeout = 10_000;
        try
        {
            int n;
            while ((n = client.Receive(buffer)) > 0)
            {
                total += n;
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
        }

        Assert.True(released, "the application's connection was not released");
        Assert.True(total < 64L * 1024 * 1024, $"{total} bytes arrived: the whole body");
        Assert.True(await MetricReachesAsync(node, "client_stalled"), "the drop was not counted as client_stalled");
        Assert.Contains("palisade_upstream_errors_total{kind=\"client_aborted\"} 0", await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task L03_AClientThatGoesAwayMidResponse_IsCountedAsAbortedNotStalled()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { UpstreamTimeout = TimeSpan.FromSeconds(30) });
        var marker = FrontDoorProbe.Marker("L03-gone");
        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await StartLargeDownloadAsync(client, node, marker);
            client.LingerState = new LingerOption(true, 0);
        }

        // Long before the 30 s timeout: the application is released as soon as the node sees the reset.
        Assert.True(await WaitAsync(async () => await node.Upstream!.ReceivedAsync("large-aborted:" + marker) == 1, TimeSpan.FromSeconds(10)));
        Assert.True(await MetricReachesAsync(node, "client_aborted"), "the reset was not counted as client_aborted");
        var metrics = await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("palisade_upstream_errors_total{kind=\"client_stalled\"} 0", metrics, StringComparison.Ordinal);
        Assert.Contains("palisade_upstream_errors_total{kind=\"timeout\"} 0", metrics, StringComparison.Ordinal);
    }

    // Asks the application for 64 MiB through the node and reads the first 64 KiB of the answer.
    private static async Task<int> StartLargeDownloadAsync(Socket client, NodeUnderTest node, string marker)
    {
        await client.ConnectAsync(node.Node.ProxyAddress.Host, node.Node.ProxyAddress.Port);
        await client.SendAsync(Encoding.ASCII.GetBytes($"GET /__large/64/{marker} HTTP/1.1\r\nHost: x\r\n\r\n"));
        var buffer = new byte[4096];
        var read = 0;
        while (read < 64 * 1024)
        {
            read += await client.ReceiveAsync(buffer);
        }

        return read;
    }

    // The node counts the failure after it has cut the connection: the client can notice first.
    private static Task<bool> MetricReachesAsync(NodeUnderTest node, string kind) =>
        WaitAsync(async () => (await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative))).Contains($"palisade_upstream_errors_total{{kind=\"{kind}\"}} 1", StringComparison.Ordinal), TimeSpan.FromSeconds(5));

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
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
