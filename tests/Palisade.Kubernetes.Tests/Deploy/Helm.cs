using System.Diagnostics;

namespace Palisade.Kubernetes.Tests.Deploy;

/// <summary>
/// The <c>helm</c> binary the chart tests run: <c>PALISADE_HELM</c>, else <c>artifacts/tools/helm</c> (what
/// <c>.ci/get-helm</c> installs), else <c>helm</c> on the PATH. Without one the tests are skipped with that advice,
/// unless <c>PALISADE_REQUIRE_HELM=1</c> (CI) makes its absence a failure.
/// </summary>
internal static class Helm
{
    public static readonly string Chart = Path.Combine(RepositoryPaths.Root, "deploy", "helm", "palisade");

    private static readonly Lazy<string?> Binary = new(Find);

    /// <summary>Runs helm with <paramref name="arguments"/>; skips the test when there is no helm.</summary>
    public static (int ExitCode, string Output, string Error) Run(params string[] arguments)
    {
        var binary = Binary.Value;
        if (binary is null)
        {
            const string Advice = "no helm binary: run .ci/get-helm (puts one at artifacts/tools/helm) or set PALISADE_HELM";
            if (Environment.GetEnvironmentVariable("PALISADE_REQUIRE_HELM") == "1")
            {
                Assert.Fail(Advice);
            }

            Assert.Skip(Advice);
        }

        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Keep helm off the user's own configuration and caches.
        var home = Path.Combine(Path.GetTempPath(), "palisade-helm-home");
        start.Environment["HELM_CONFIG_HOME"] = Path.Combine(home, "config");
        start.Environment["HELM_CACHE_HOME"] = Path.Combine(home, "cache");
        start.Environment["HELM_DATA_HOME"] = Path.Combine(home, "data");
        start.Environment["KUBECONFIG"] = Path.Combine(home, "no-kubeconfig");

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill();
            Assert.Fail("helm " + string.Join(' ', arguments) + " did not finish in a minute");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary><c>helm template</c> of the chart in <paramref name="ns"/> with <c>--set</c> values; fails the test on an error.</summary>
    public static string Template(string ns, params string[] values)
    {
        var (exitCode, output, error) = Run(TemplateArguments(ns, values));
        Assert.True(exitCode == 0, "helm template failed: " + error);
        return output;
    }

    public static string[] TemplateArguments(string ns, string[] values) =>
        ["template", "palisade", Chart, "--namespace", ns, .. values.SelectMany(v => new[] { "--set", v })];

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("PALISADE_HELM") is { Length: > 0 } configured)
        {
            return configured;
        }

        var installed = Path.Combine(RepositoryPaths.Root, "artifacts", "tools", "helm");
        if (File.Exists(installed))
        {
            return installed;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "helm"))
            .FirstOrDefault(File.Exists);
    }
}
