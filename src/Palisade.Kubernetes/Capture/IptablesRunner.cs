using System.ComponentModel;
using System.Diagnostics;

namespace Palisade.Kubernetes.Capture;

/// <summary>
/// Applies an <see cref="IptablesPlan"/> in the current network namespace (the pod's, in the init container), for
/// IPv4 and, where the kernel offers IPv6 NAT, IPv6, with the backend the node uses.
/// </summary>
public static class IptablesRunner
{
    /// <summary>
    /// The backend whose tables already hold rules (kube-proxy's choice, where the namespace shows it); nft when
    /// neither does or only nft is installed, legacy when only legacy is.
    /// </summary>
    public static IptablesBackend Detect(TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var nft = RuleCount(new IptablesTools(IptablesBackend.Nft, false));
        var legacy = RuleCount(new IptablesTools(IptablesBackend.Legacy, false));
        var backend = (nft, legacy) switch
        {
            (null, not null) => IptablesBackend.Legacy,
            (not null, > 0) when legacy > nft => IptablesBackend.Legacy,
            (null, null) => throw new InvalidOperationException("neither iptables-nft-save nor iptables-legacy-save runs here: install iptables"),
            _ => IptablesBackend.Nft,
        };
        log.WriteLine($"palisade iptables: backend {backend.ToString().ToLowerInvariant()} (rules present: nft {nft?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unavailable"}, legacy {legacy?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unavailable"})");
        return backend;
    }

    /// <summary>Applies the plan; returns false (after saying why) when IPv4 failed. IPv6 is skipped where unavailable.</summary>
    public static bool Apply(IptablesPlan plan, IptablesBackend backend, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(log);
        if (!ApplyFamily(plan, new IptablesTools(backend, false), log))
        {
            return false;
        }

        var v6 = new IptablesTools(backend, true);
        if (Run(v6.Iptables, ["-t", "nat", "-L", "PREROUTING", "-n"], null) is not (0, _, _))
        {
            log.WriteLine($"palisade iptables: {v6.Family}: no NAT table in this namespace ({v6.Iptables} cannot list it); only IPv4 is redirected");
            return true;
        }

        return ApplyFamily(plan, v6, log);
    }

    private static bool ApplyFamily(IptablesPlan plan, IptablesTools tools, TextWriter log)
    {
        var jumpPresent = Run(tools.Iptables, IptablesPlan.JumpCheckArguments, null) is (0, _, _);
        var (code, _, error) = Run(tools.Restore, ["--noflush"], plan.RestoreInput(jumpPresent));
        if (code != 0)
        {
            log.WriteLine($"palisade iptables: {tools.Family}: {tools.Restore} failed ({code}): {error.Trim()}");
            return false;
        }

        log.WriteLine($"palisade iptables: {tools.Family}: inbound TCP to port {plan.ApplicationPort} goes to port {plan.NodePort}{(jumpPresent ? " (already in place; rules refreshed)" : "")}");
        return true;
    }

    private static int? RuleCount(IptablesTools tools) =>
        Run(tools.Save, [], null) is (0, var output, _) ? output.Split('\n').Count(line => line.StartsWith("-A ", StringComparison.Ordinal)) : null;

    private static (int Code, string Output, string Error) Run(string file, IReadOnlyList<string> arguments, string? input)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            if (input is not null)
            {
                process.StandardInput.Write(input);
                process.StandardInput.Close();
            }

            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
        }
        catch (Win32Exception e)
        {
            return (127, "", $"{file}: {e.Message}");
        }
    }
}
