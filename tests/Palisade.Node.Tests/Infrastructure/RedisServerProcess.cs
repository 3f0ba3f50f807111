using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Palisade.Node.Tests.Infrastructure;

/// <summary>
/// A real <c>redis-server</c> of the test's own on a free loopback port, without persistence, in a temporary
/// directory; killed by its process id when disposed. It can be killed and started again on the same port.
/// </summary>
public sealed class RedisServerProcess : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-redis-").FullName;
    private Process? _process;

    public RedisServerProcess() => Port = FreePort();

    public int Port { get; }

    /// <summary>The configuration string the node's options take.</summary>
    public string Connection => "127.0.0.1:" + Port;

    public async ValueTask InitializeAsync() => await StartAsync();

    /// <summary>Starts the server and waits until it answers PING.</summary>
    public async Task StartAsync()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("redis-server is already running");
        }

        var start = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _directory })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += static (_, _) => { };
        _process.ErrorDataReceived += static (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (!await PingAsync())
        {
            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                Kill();
                throw new InvalidOperationException("redis-server did not answer PING on port " + Port);
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Kills the server (SIGKILL, by its process id) and waits until it is gone.</summary>
    public void Kill()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit(5000);
            }
        }
        finally
        {
            process.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory left behind is harmless.
        }

        return ValueTask.CompletedTask;
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(1));
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
