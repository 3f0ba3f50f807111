using System.Diagnostics;
using System.Globalization;

namespace Palisade.Tests.Infrastructure;

/// <summary>
/// A pod and a client as two Linux network namespaces joined by a veth pair (pod 10.213.N.1 and fd00:213:N::1, client
/// 10.213.N.2 and fd00:213:N::2), for
/// the tests that prove the pod's traffic flow. Needs root, iproute2 and a kernel with network namespaces; anything
/// else makes <see cref="TryCreateAsync"/> return null and say why. Disposing kills what was started in them and
/// deletes both namespaces, also after a failed test.
/// </summary>
public sealed class PodNetwork : IAsyncDisposable
{
    private readonly List<Process> _processes = [];

    private PodNetwork(string suffix, int subnet)
    {
        Pod = "palisade-pod-" + suffix;
        Client = "palisade-cli-" + suffix;
        PodAddress = $"10.213.{subnet}.1";
        ClientAddress = $"10.213.{subnet}.2";
        PodAddress6 = $"fd00:213:{subnet}::1";
        ClientAddress6 = $"fd00:213:{subnet}::2";
    }

    public string Pod { get; }

    public string Client { get; }

    public string PodAddress { get; }

    public string ClientAddress { get; }

    public string PodAddress6 { get; }

    public string ClientAddress6 { get; }

    public static async Task<(PodNetwork? Network, string WhyNot)> TryCreateAsync()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return (null, "network namespaces need Linux and root");
        }

        var suffix = Guid.NewGuid().ToString("N")[..8];
        var network = new PodNetwork(suffix, Random.Shared.Next(1, 250));
        var (podVeth, clientVeth) = ("pv" + suffix, "cv" + suffix);
        string[][] setup =
        [
            ["netns", "add", network.Pod],
            ["netns", "add", network.Client],
            ["link", "add", podVeth, "type", "veth", "peer", "name", clientVeth],
            ["link", "set", podVeth, "netns", network.Pod],
            ["link", "set", clientVeth, "netns", network.Client],
            ["-n", network.Pod, "addr", "add", network.PodAddress + "/24", "dev", podVeth],
            ["-n", network.Client, "addr", "add", network.ClientAddress + "/24", "dev", clientVeth],
            // nodad: usable at once, without duplicate address detection's wait.
            ["-n", network.Pod, "addr", "add", network.PodAddress6 + "/64", "dev", podVeth, "nodad"],
            ["-n", network.Client, "addr", "add", network.ClientAddress6 + "/64", "dev", clientVeth, "nodad"],
            ["-n", network.Pod, "link", "set", "lo", "up"],
            ["-n", network.Client, "link", "set", "lo", "up"],
            ["-n", network.Pod, "link", "set", podVeth, "up"],
            ["-n", network.Client, "link", "set", clientVeth, "up"],
        ];
        foreach (var step in setup)
        {
            var (code, _, error) = await RunAsync("ip", step);
            if (code != 0)
            {
                await network.DisposeAsync();
                return (null, $"'ip {string.Join(' ', step)}' failed: {error.Trim()}");
            }
        }

        return (network, "");
    }

    /// <summary>Runs a command to completion in a namespace.</summary>
    public static Task<(int Code, string Output, string Error)> ExecAsync(string networkNamespace, params string[] command) =>
        RunAsync("ip", ["netns", "exec", networkNamespace, .. command]);

    /// <summary>Starts a long-running command in a namespace; it is killed on dispose.</summary>
    public Process Start(string networkNamespace, params string[] command)
    {
        var start = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in new[] { "netns", "exec", networkNamespace }.Concat(command))
        {
            start.ArgumentList.Add(word);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    /// <summary>A request from the client namespace with curl: status code, body and response headers.</summary>
    public async Task<(int Status, string Body, string Headers)> RequestAsync(string url)
    {
        var headers = Path.GetTempFileName();
        try
        {
            var (code, output, error) = await ExecAsync(Client, "curl", "-s", "-g", "--max-time", "10", "-D", headers, "-o", "-", "-w", "\n%{http_code}", url);
            if (code != 0)
            {
                return (0, error, "");
            }

            var split = output.LastIndexOf('\n');
            return (int.Parse(output[(split + 1)..], CultureInfo.InvariantCulture), output[..split], await File.ReadAllTextAsync(headers));
        }
        finally
        {
            File.Delete(headers);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        // Deleting a namespace deletes the veth end in it, and with it the pair.
        await RunAsync("ip", ["netns", "del", Pod]);
        await RunAsync("ip", ["netns", "del", Client]);
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await output, await error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (127, "", $"{file}: {e.Message}");
        }
    }
}
