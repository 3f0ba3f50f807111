using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Palisade.Tests.Infrastructure;

/// <summary>The recording test application (tests/Palisade.TestUpstream) as a separate process, stopped by PID.</summary>
public sealed class TestUpstreamProcess : IAsyncDisposable
{
    private readonly Process _process;

    private TestUpstreamProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    public static async Task<TestUpstreamProcess> StartAsync()
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Palisade.TestUpstream.dll"), "--port", "0"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the test upstream");
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? "";
        return new TestUpstreamProcess(process, int.Parse(line["listening ".Length..], CultureInfo.InvariantCulture));
    }

    public async Task<int> ReceivedAsync(string marker)
    {
        using var client = new HttpClient();
        return int.Parse(await client.GetStringAsync(new Uri(Address, "/__received?marker=" + Uri.EscapeDataString(marker))), CultureInfo.InvariantCulture);
    }

    public async Task ReleaseAsync(string gate)
    {
        using var client = new HttpClient();
        using var response = await client.GetAsync(new Uri(Address, "/__release/" + gate));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
