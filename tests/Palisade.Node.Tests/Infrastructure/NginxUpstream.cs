using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Palisade.Node.Tests.Infrastructure;

/// <summary>
/// A real nginx of the test's own as the application, on a free loopback port in a temporary directory, stopped by
/// its process id. Its locations answer <c>{location} {$uri}</c>, so a test sees how nginx itself resolved a path;
/// its access log records every request-target it received.
/// </summary>
public sealed class NginxUpstream : IAsyncDisposable
{
    private readonly string _directory;
    private readonly Process _process;

    private NginxUpstream(string directory, Process process, int port)
    {
        _directory = directory;
        _process = process;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Address { get; }

    /// <summary>Starts nginx with one <c>location</c> per name (<c>/api/</c> answers <c>api /api/...</c>) and <c>/</c>.</summary>
    public static async Task<NginxUpstream> StartAsync(params string[] locations)
    {
        var directory = Directory.CreateTempSubdirectory("palisade-nginx-").FullName;
        var port = FreePort();
        var servedLocations = string.Concat(locations.Select(l => $$"""
                    location /{{l}}/ { default_type text/plain; return 200 "{{l}} $uri\n"; }

            """));
        var config = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(config, $$"""
            worker_processes 1;
            daemon off;
            master_process off;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 64; }
            http {
                log_format target '$request_uri';
                access_log {{directory}}/access.log target;
                client_body_temp_path {{directory}}/body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                server {
                    listen 127.0.0.1:{{port}};
            {{servedLocations}}
                    location / { default_type text/plain; return 200 "root $uri\n"; }
                }
            }
            """);
        var start = new ProcessStartInfo("nginx") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-p", directory, "-c", config })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var upstream = new NginxUpstream(directory, process, port);
        var deadline = Stopwatch.StartNew();
        while (!await upstream.AnswersAsync())
        {
            if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                await upstream.DisposeAsync();
                throw new InvalidOperationException("nginx did not answer on port " + port);
            }

            await Task.Delay(50);
        }

        return upstream;
    }

    /// <summary>The request-targets nginx received, in order (its access log; nginx writes each line at once).</summary>
    public string[] ReceivedTargets()
    {
        var log = Path.Combine(_directory, "access.log");
        return File.Exists(log) ? File.ReadAllLines(log) : [];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A temporary directory left behind is harmless.
            }
        }
    }

    private async Task<bool> AnswersAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Address.Port);
            return true;
        }
        catch (SocketException)
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
