using System.Net;
using System.Net.Sockets;
using System.Text;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Robustness;

/// <summary>
/// ROBUSTNESS.md I06: near the memory limit the node stops accepting connections and sheds requests on open ones
/// with 503 and Retry-After before reading their bodies, keeps answering its probes, and serves again once memory is
/// back under the limit. (The thresholds: Lifecycle/MemoryGuardTests; the buffer budget: Inspection/RequestBodyBufferTests;
/// the real run in a 256 MiB memory cgroup under 300 concurrent uploads: bench/robustness/run.py I06.)
/// </summary>
public sealed class MemoryPressureTests
{
    [Fact]
    public async Task I06_NearTheLimit_OpenConnectionsGet503NewOnesAreRefusedAndAfterwardsEverythingIsServed()
    {
        await using var node = await NodeUnderTest.StartAsync();
        var guard = node.Node.Memory;
        var marker = FrontDoorProbe.Marker("I06");

        // A keep-alive connection opened while memory is fine.
        using var open = new TcpClient();
        await open.ConnectAsync(node.Node.ProxyAddress.Host, node.Node.ProxyAddress.Port);
        var stream = open.GetStream();
        await SendAsync(stream, "GET /warm-up HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200", await ReadResponseAsync(stream), StringComparison.Ordinal);

        // A request holds a buffer (shedding lasts while one does) and the heap is at the limit.
        Assert.True(guard.Buffers.TryReserve(1));
        guard.SetProbe(() => guard.Limit);
        guard.Sample();
        Assert.True(guard.IsShedding);

        // On the open connection: 503 with Retry-After before the body is read, and the connection is closed.
        await SendAsync(stream, $"POST /orders/{marker} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{{\"item\":");
        var shed = await ReadResponseAsync(stream);
        Assert.StartsWith("HTTP/1.1 503", shed, StringComparison.Ordinal);
        Assert.Contains("Retry-After: 1", shed, StringComparison.Ordinal);
        Assert.Contains("Connection: close", shed, StringComparison.Ordinal);

        // A new connection is closed at once.
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => node.Client.GetAsync(new Uri("/shop", UriKind.Relative)));

        using (var health = await node.Admin.GetAsync(new Uri("/healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        var metrics = await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("palisade_memory_shedding 1", metrics, StringComparison.Ordinal);
        Assert.Contains("palisade_load_shed_total 2", metrics, StringComparison.Ordinal);

        // Below 80% of the limit: served again.
        guard.SetProbe(() => (long)(guard.Limit * 0.5));
        guard.Sample();
        guard.Buffers.Release(1);
        using var served = await node.Client.GetAsync(new Uri($"/after/{marker}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        // Only the request after shedding reached the application: never the shed POST.
        Assert.Equal(1, await node.Upstream!.ReceivedAsync(marker));
    }

    [Fact]
    public async Task I06_ByDefault_TheLimitIsWhatTheRuntimeSeesAndNothingIsShed()
    {
        await using var node = await NodeUnderTest.StartAsync();

        using var response = await node.Client.GetAsync(new Uri("/shop/items?page=2", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, node.Node.Memory.Limit);
        Assert.False(node.Node.Memory.IsShedding);
    }

    private static Task SendAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    // One response: its head, and the body by Content-Length.
    private static async Task<string> ReadResponseAsync(NetworkStream stream)
    {
        var buffer = new byte[64 * 1024];
        var text = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0)
            {
                return text.ToString();
            }

            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            var current = text.ToString();
            var end = current.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                continue;
            }

            var length = current.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } header
                ? int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)
                : 0;
            if (current.Length >= end + 4 + length)
            {
                return current;
            }
        }
    }
}
