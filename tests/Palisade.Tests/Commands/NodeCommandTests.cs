using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Palisade.Node.Configuration;
using Palisade.TestUpstream;
using Palisade.Tests.Infrastructure;

namespace Palisade.Tests.Commands;

/// <summary>The <c>palisade node</c> process: options, start, readiness, SIGTERM draining, exit codes.</summary>
public sealed class NodeCommandTests
{
    [Fact]
    public async Task Help_Requested_DocumentsEveryOptionWithEnvironmentAndDefault()
    {
        var (code, output, _) = await PalisadeProcess.RunAsync(["node", "--help"]);
        Assert.Equal(0, code);
        foreach (var setting in NodeSettings.All)
        {
            Assert.Contains(setting.Flag, output, StringComparison.Ordinal);
            Assert.Contains($"[env: {setting.EnvironmentVariable}]", output, StringComparison.Ordinal);
        }

        Assert.Contains("--config", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I03_Start_InvalidFlag_Exits2NamingTheKey()
    {
        var (code, _, error) = await PalisadeProcess.RunAsync(["node", "--mode", "strict"]);
        Assert.Equal(2, code);
        Assert.Contains("mode (--mode): 'strict' is not a mode", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_InvalidEnvironment_Exits2NamingTheVariable()
    {
        var (code, _, error) = await PalisadeProcess.RunAsync(["node"], new Dictionary<string, string> { ["PALISADE_INSPECTION_LIMIT"] = "lots" });
        Assert.Equal(2, code);
        Assert.Contains("inspection-limit (PALISADE_INSPECTION_LIMIT)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I03_Start_BadConfigFile_Exits2NamingFileAndLine()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("palisade-").FullName, "palisade.yaml");
        await File.WriteAllTextAsync(file, "mode: block\nblock-status: 99\n");
        var (code, _, error) = await PalisadeProcess.RunAsync(["node", "--config", file]);
        Assert.Equal(2, code);
        Assert.Contains("block-status (palisade.yaml:2)", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task I03_Start_PortTaken_Exits3()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var (code, _, error) = await PalisadeProcess.RunAsync(["node", "--listen", $"127.0.0.1:{port}", "--admin-listen", "127.0.0.1:0", "--management-listen", "127.0.0.1:0"]);
        Assert.Equal(3, code);
        Assert.Contains("cannot listen", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WithUpstream_BecomesReadyAndForwards()
    {
        await using var upstream = await TestUpstreamProcess.StartAsync();
        var (listen, admin) = (TestUpstreamProcess.FreePort(), TestUpstreamProcess.FreePort());
        await using var node = PalisadeProcess.Start(["node", "--listen", $"127.0.0.1:{listen}", "--admin-listen", $"127.0.0.1:{admin}", "--management-listen", "127.0.0.1:0"],
            new Dictionary<string, string> { ["PALISADE_UPSTREAM"] = upstream.Address.ToString(), ["PALISADE_MODE"] = "block" });
        using var client = new HttpClient();

        await Wait.UntilAsync(async () => (await client.GetAsync(new Uri($"http://127.0.0.1:{admin}/readyz"))).IsSuccessStatusCode, TimeSpan.FromSeconds(15), "the node is ready");
        using var clean = await client.GetAsync(new Uri($"http://127.0.0.1:{listen}/hello?x=1"));
        Assert.Equal(HttpStatusCode.OK, clean.StatusCode);
        using var attack = await client.GetAsync(new Uri($"http://127.0.0.1:{listen}/hello?x=%3Cscript%3Ealert(1)%3C/script%3E"));
        Assert.Equal(HttpStatusCode.Forbidden, attack.StatusCode);
    }

    [Fact]
    public async Task I04_Sighup_ReloadsTheConfigurationFile()
    {
        await using var upstream = await TestUpstreamProcess.StartAsync();
        var (listen, admin) = (TestUpstreamProcess.FreePort(), TestUpstreamProcess.FreePort());
        var directory = Directory.CreateTempSubdirectory("palisade-sighup-");
        var config = Path.Combine(directory.FullName, "palisade.yaml");
        await File.WriteAllTextAsync(config, "mode: block\n");
        await using var node = PalisadeProcess.Start(["node", "--config", config, "--listen", $"127.0.0.1:{listen}", "--admin-listen", $"127.0.0.1:{admin}", "--upstream", upstream.Address.ToString()]);
        using var client = new HttpClient();
        await Wait.UntilAsync(async () => (await client.GetAsync(new Uri($"http://127.0.0.1:{admin}/readyz"))).IsSuccessStatusCode, TimeSpan.FromSeconds(15), "the node is ready");
        using (var before = await client.GetAsync(new Uri($"http://127.0.0.1:{listen}/retired")))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        // Written in place without the watcher seeing it in time matters not: SIGHUP reloads whatever the file holds.
        await File.WriteAllTextAsync(config, "mode: block\nvirtual-patches:\n  - name: retired\n    path: /retired\n");
        node.Signal("HUP");

        await Wait.UntilAsync(async () => (await client.GetAsync(new Uri($"http://127.0.0.1:{listen}/retired"))).StatusCode == HttpStatusCode.Forbidden, TimeSpan.FromSeconds(10), "the reloaded rule blocks");
        Assert.False(node.HasExited);
        await Wait.UntilAsync(() => Task.FromResult(node.StandardError.Contains("Configuration reloaded", StringComparison.Ordinal)), TimeSpan.FromSeconds(5), "the reload is logged");
        directory.Delete(recursive: true);
    }

    [Fact]
    public async Task K02_Sigterm_InFlightRequest_DrainsThenExits0()
    {
        await using var upstream = await TestUpstreamProcess.StartAsync();
        var (listen, admin) = (TestUpstreamProcess.FreePort(), TestUpstreamProcess.FreePort());
        await using var node = PalisadeProcess.Start(["node", "--listen", $"127.0.0.1:{listen}", "--admin-listen", $"127.0.0.1:{admin}", "--management-listen", "127.0.0.1:0", "--upstream", upstream.Address.ToString()]);
        using var client = new HttpClient();
        await Wait.UntilAsync(async () => (await client.GetAsync(new Uri($"http://127.0.0.1:{admin}/readyz"))).IsSuccessStatusCode, TimeSpan.FromSeconds(15), "the node is ready");

        var inFlight = client.GetAsync(new Uri($"http://127.0.0.1:{listen}/__gated/sigterm"));
        await Wait.UntilAsync(async () => await upstream.ReceivedAsync("/__gated/sigterm") == 1, TimeSpan.FromSeconds(10), "the request reached the application");
        node.Terminate();

        await Wait.UntilAsync(async () => (await client.GetAsync(new Uri($"http://127.0.0.1:{admin}/readyz"))).StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(10), "readiness turns 503");
        await Wait.UntilAsync(async () => !await AcceptsConnectionsAsync(listen), TimeSpan.FromSeconds(10), "the node stops accepting connections");
        Assert.False(node.HasExited);

        await upstream.ReleaseAsync("sigterm");
        using var response = await inFlight;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("first\nlast\n", await response.Content.ReadAsStringAsync());
        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        Assert.Contains("Palisade node stopped", node.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task K04_Sigterm_IdleKeepAliveConnections_DoNotHoldTheExit()
    {
        await using var upstream = await TestUpstreamProcess.StartAsync();
        var (listen, admin) = (TestUpstreamProcess.FreePort(), TestUpstreamProcess.FreePort());
        await using var node = PalisadeProcess.Start(["node", "--listen", $"127.0.0.1:{listen}", "--admin-listen", $"127.0.0.1:{admin}", "--management-listen", "127.0.0.1:0", "--upstream", upstream.Address.ToString(), "--drain-timeout", "30s"]);
        using var client = new HttpClient();
        await Wait.UntilAsync(async () => (await client.GetAsync(new Uri($"http://127.0.0.1:{admin}/readyz"))).IsSuccessStatusCode, TimeSpan.FromSeconds(15), "the node is ready");

        // Ten keep-alive connections that each served a request and now sit idle.
        var idle = new List<Socket>();
        for (var i = 0; i < 10; i++)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, listen);
            await socket.SendAsync("GET /k04 HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray());
            var buffer = new byte[4096];
            await socket.ReceiveAsync(buffer);
            idle.Add(socket);
        }

        node.Terminate();

        // The drain timeout is 30 s: an exit before it means idle connections were closed, not waited for.
        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(25)));
        foreach (var socket in idle)
        {
            Assert.Equal(0, await socket.ReceiveAsync(new byte[16]));
            socket.Dispose();
        }
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [Fact]
    public async Task Sigterm_RequestOutlivesDrainTimeout_ExitsAnyway()
    {
        await using var upstream = await TestUpstreamProcess.StartAsync();
        var (listen, admin) = (TestUpstreamProcess.FreePort(), TestUpstreamProcess.FreePort());
        await using var node = PalisadeProcess.Start(["node", "--listen", $"127.0.0.1:{listen}", "--admin-listen", $"127.0.0.1:{admin}", "--management-listen", "127.0.0.1:0", "--upstream", upstream.Address.ToString(), "--drain-timeout", "500ms"]);
        using var client = new HttpClient();
        await Wait.UntilAsync(async () => (await client.GetAsync(new Uri($"http://127.0.0.1:{admin}/readyz"))).IsSuccessStatusCode, TimeSpan.FromSeconds(15), "the node is ready");

        var stuck = client.GetAsync(new Uri($"http://127.0.0.1:{listen}/__gated/never"));
        await Wait.UntilAsync(async () => await upstream.ReceivedAsync("/__gated/never") == 1, TimeSpan.FromSeconds(10), "the request reached the application");
        node.Terminate();

        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(15)));
        await Assert.ThrowsAnyAsync<Exception>(async () => await (await stuck).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Demo_CleanAndAttack_EchoesOneAndBlocksTheOther()
    {
        var (listen, admin) = (TestUpstreamProcess.FreePort(), TestUpstreamProcess.FreePort());
        await using var node = PalisadeProcess.Start(["node", "--demo", "--listen", listen.ToString(CultureInfo.InvariantCulture), "--admin-listen", $"127.0.0.1:{admin}", "--management-listen", "127.0.0.1:0"]);
        using var client = new HttpClient();
        await Wait.UntilAsync(async () => (await client.GetAsync(new Uri($"http://127.0.0.1:{admin}/readyz"))).IsSuccessStatusCode, TimeSpan.FromSeconds(15), "the demo is ready");

        var echo = await client.GetStringAsync(new Uri($"http://127.0.0.1:{listen}/products/a%2Fb?id=7&id=8"));
        Assert.Contains("\"raw_target\": \"/products/a%2Fb?id=7&id=8\"", echo, StringComparison.Ordinal);
        using var blocked = await client.GetAsync(new Uri($"http://127.0.0.1:{listen}/products?id=1%20UNION%20SELECT%20password%20FROM%20users--"));
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        await Wait.UntilAsync(() => Task.FromResult(node.StandardOutput.Contains("\"event\":\"attack\"", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "the attack event is on standard output");
    }
}
