using Palisade.Tests.Infrastructure;

namespace Palisade.Tests.Commands;

/// <summary>
/// <c>palisade iptables</c>, and the pod's traffic flow end to end in Linux network namespaces: a "pod" namespace runs
/// the application (nginx on 0.0.0.0:8080, echoing X-Forwarded-For) and the node; a "client" namespace reaches the pod
/// over a veth pair.
/// </summary>
public sealed class IptablesCommandTests : IDisposable
{
    private const string Attack = "/search?q=1%27%20OR%20%271%27%3D%271";
    private const string Benign = "/search?q=hello";
    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-pod-").FullName;

    [Fact]
    public async Task DryRun_PrintsTheRules()
    {
        var (code, output, _) = await PalisadeProcess.RunAsync(["iptables", "--application-port", "8080", "--node-port", "9900", "--dry-run"]);

        Assert.Equal(0, code);
        Assert.Contains("-A PALISADE_INBOUND -p tcp --dport 8080 -j REDIRECT --to-ports 9900", output, StringComparison.Ordinal);
        Assert.Contains("-A PREROUTING -p tcp -j PALISADE_INBOUND", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("8080", "8080", "must differ")]
    [InlineData("0", "9900", "--application-port: 0 is not a port")]
    [InlineData("8080", "70000", "--node-port: 70000 is not a port")]
    public async Task BadPorts_Exit2(string application, string node, string message)
    {
        var (code, _, error) = await PalisadeProcess.RunAsync(["iptables", "--application-port", application, "--node-port", node]);

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task K06_IptablesCapture_FiltersTheClientsTrafficToTheApplicationPort_OverIPv4AndIPv6_AndTheNodeDoesNotLoop()
    {
        await using var network = await CreateNetworkAsync();
        await StartApplicationAsync(network);
        await using var node = await StartNodeAsync(network);
        var app = $"http://{network.PodAddress}:8080";

        // Before the redirect, the application port is the application's: the attack reaches it.
        Assert.Equal(200, (await network.RequestAsync(app + Attack)).Status);

        for (var i = 0; i < 2; i++)
        {
            var (code, _, error) = await PalisadeProcess.RunAsync(["iptables", "--application-port", "8080", "--node-port", "9900"], networkNamespace: network.Pod);
            Assert.True(code == 0, error);
        }

        var rules = (await PodNetwork.ExecAsync(network.Pod, "iptables-save", "-t", "nat")).Output;
        Assert.Single(rules.Split('\n'), line => line == "-A PREROUTING -p tcp -j PALISADE_INBOUND");
        Assert.Single(rules.Split('\n'), line => line.Contains("REDIRECT --to-ports 9900", StringComparison.Ordinal));

        var benign = await network.RequestAsync(app + Benign);
        Assert.Equal(200, benign.Status);
        Assert.Contains($"xff={network.ClientAddress}", benign.Body, StringComparison.Ordinal);
        Assert.Contains("X-Palisade-Request-Id", benign.Headers, StringComparison.OrdinalIgnoreCase);

        var attack = await network.RequestAsync(app + Attack);
        Assert.Equal(403, attack.Status);

        // IPv6 is redirected too, to the same dual-stack listener (the application itself listens on IPv4 only).
        var app6 = $"http://[{network.PodAddress6}]:8080";
        var benign6 = await network.RequestAsync(app6 + Benign);
        Assert.Equal(200, benign6.Status);
        Assert.Contains($"xff={network.ClientAddress6}", benign6.Body, StringComparison.Ordinal);
        Assert.Equal(403, (await network.RequestAsync(app6 + Attack)).Status);

        // The node's own connection to 127.0.0.1:8080 is not redirected: from inside the pod the port is the application's.
        var local = await PodNetwork.ExecAsync(network.Pod, "curl", "-s", "--max-time", "5", "http://127.0.0.1:8080/local");
        Assert.Equal(0, local.Code);
        Assert.Contains("xff=\n", local.Output + "\n", StringComparison.Ordinal);
        var log = await File.ReadAllTextAsync(Path.Combine(_directory, "access.log"));
        Assert.Contains("/search?q=hello", log, StringComparison.Ordinal);
        Assert.Single(log.Split('\n'), line => line.Contains("%27%20OR%20", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ServiceCapture_TheClientReachesTheNodePort_AndTheNodeForwardsToTheApplication()
    {
        await using var network = await CreateNetworkAsync();
        await StartApplicationAsync(network);
        await using var node = await StartNodeAsync(network);
        var service = $"http://{network.PodAddress}:9900";

        var benign = await network.RequestAsync(service + Benign);
        Assert.Equal(200, benign.Status);
        Assert.Contains($"xff={network.ClientAddress}", benign.Body, StringComparison.Ordinal);

        Assert.Equal(403, (await network.RequestAsync(service + Attack)).Status);
        var log = await File.ReadAllTextAsync(Path.Combine(_directory, "access.log"));
        Assert.DoesNotContain("%27%20OR%20", log, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<PodNetwork> CreateNetworkAsync()
    {
        var (network, whyNot) = await PodNetwork.TryCreateAsync();
        if (network is null)
        {
            Assert.Skip("network namespaces cannot be created here: " + whyNot);
        }

        return network;
    }

    private async Task StartApplicationAsync(PodNetwork network)
    {
        var config = Path.Combine(_directory, "nginx.conf");
        await File.WriteAllTextAsync(config, $$"""
            worker_processes 1;
            daemon off;
            master_process off;
            pid {{_directory}}/nginx.pid;
            error_log {{_directory}}/error.log warn;
            events { worker_connections 64; }
            http {
                log_format uri '$request_uri';
                access_log {{_directory}}/access.log uri;
                client_body_temp_path {{_directory}}/body;
                proxy_temp_path {{_directory}}/proxy;
                fastcgi_temp_path {{_directory}}/fastcgi;
                uwsgi_temp_path {{_directory}}/uwsgi;
                scgi_temp_path {{_directory}}/scgi;
                server {
                    listen 0.0.0.0:8080;
                    location / {
                        default_type text/plain;
                        return 200 "xff=$http_x_forwarded_for\n";
                    }
                }
            }
            """);
        network.Start(network.Pod, "nginx", "-p", _directory, "-c", config);
        await Wait.UntilAsync(
            async () => (await PodNetwork.ExecAsync(network.Pod, "curl", "-s", "--max-time", "2", "http://127.0.0.1:8080/ready")).Code == 0,
            TimeSpan.FromSeconds(20),
            "nginx in the pod namespace");
        File.WriteAllText(Path.Combine(_directory, "access.log"), "");
    }

    private static async Task<PalisadeProcess> StartNodeAsync(PodNetwork network)
    {
        var node = PalisadeProcess.Start(
            ["node", "--listen", "[::]:9900", "--admin-listen", "127.0.0.1:9901", "--upstream", "http://127.0.0.1:8080", "--mode", "block"],
            networkNamespace: network.Pod);
        await Wait.UntilAsync(
            async () => (await PodNetwork.ExecAsync(network.Pod, "curl", "-s", "-f", "--max-time", "2", "http://127.0.0.1:9901/readyz")).Code == 0,
            TimeSpan.FromSeconds(30),
            "the node in the pod namespace");
        return node;
    }
}
