using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Palisade.TestUpstream;

/// <summary>
/// Test-side handle on this application: starts it as a separate process on loopback (on a free port, or a
/// given one to come back on the same port), talks to its control paths, and stops it by PID.
/// </summary>
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

    /// <summary>Starts the application from the calling test's output folder, where the build copies it.</summary>
    public static async Task<TestUpstreamProcess> StartAsync(int port = 0)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Palisade.TestUpstream.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "--port", port.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start the test upstream");
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"test upstream did not start: {line} {await process.StandardError.ReadToEndAsync()}");
        }

        return new TestUpstreamProcess(process, int.Parse(line["listening ".Length..], CultureInfo.InvariantCulture));
    }

    /// <summary>How many requests the application received whose head contains the marker.</summary>
    public async Task<int> ReceivedAsync(string marker)
    {
        using var client = new HttpClient();
        var text = await client.GetStringAsync(new Uri(Address, "/__received?marker=" + Uri.EscapeDataString(marker)));
        return int.Parse(text, CultureInfo.InvariantCulture);
    }

    /// <summary>Lets a <c>/__gated/ID</c> response finish.</summary>
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

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
