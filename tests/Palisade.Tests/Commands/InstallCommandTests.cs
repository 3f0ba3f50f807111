using Palisade.Tests.Infrastructure;

namespace Palisade.Tests.Commands;

public sealed class InstallCommandTests
{
    [Fact]
    public async Task Install_PrintsTheControllerWithAFreshCertificate()
    {
        var (code, output, _) = await PalisadeProcess.RunAsync(["install", "--namespace", "waf", "--mode", "block"]);

        Assert.Equal(0, code);
        foreach (var kind in new[] { "Namespace", "ServiceAccount", "Secret", "Deployment", "PodDisruptionBudget", "Service", "MutatingWebhookConfiguration" })
        {
            Assert.Contains("kind: " + kind + "\n", output, StringComparison.Ordinal);
        }

        Assert.Contains("namespace: waf", output, StringComparison.Ordinal);
        Assert.Contains("caBundle: ", output, StringComparison.Ordinal);
        Assert.Contains("- block", output, StringComparison.Ordinal);

        var again = await PalisadeProcess.RunAsync(["install", "--namespace", "waf", "--mode", "block"]);
        Assert.NotEqual(output, again.Output);
    }

    [Fact]
    public async Task Install_UnprotectedPodPolicy_IsPrintedUnlessTurnedOffForOlderClusters()
    {
        var (code, output, _) = await PalisadeProcess.RunAsync(["install"]);
        var (offCode, off, _) = await PalisadeProcess.RunAsync(["install", "--no-unprotected-pod-policy"]);

        Assert.Equal((0, 0), (code, offCode));
        Assert.Contains("kind: ValidatingAdmissionPolicy\n", output, StringComparison.Ordinal);
        Assert.Equal(2, output.Split("kind: ValidatingAdmissionPolicyBinding\n").Length - 1);
        Assert.DoesNotContain("ValidatingAdmissionPolicy", off, StringComparison.Ordinal);
        Assert.Contains("kind: MutatingWebhookConfiguration\n", off, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_ExcludedNamespaces_AreNeitherSelectedNorInjected()
    {
        var (code, output, _) = await PalisadeProcess.RunAsync(["install", "--exclude-namespace", "legacy", "--exclude-namespace", "batch", "--replicas", "1"]);

        Assert.Equal(0, code);
        Assert.Contains("- --exclude-namespace\n        - legacy\n        - --exclude-namespace\n        - batch\n", output, StringComparison.Ordinal);
        Assert.Equal(2, output.Split("      - kube-system\n      - palisade-system\n      - legacy\n      - batch\n", StringSplitOptions.None).Length - 1);
        Assert.DoesNotContain("kind: PodDisruptionBudget", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--namespace", "Bad_Namespace", "is not a namespace name")]
    [InlineData("--failure-policy", "Sometimes", "use Fail or Ignore")]
    [InlineData("--mode", "loud", "is not a mode")]
    [InlineData("--replicas", "0", "use 1 to 20")]
    [InlineData("--exclude-namespace", "Legacy_Apps", "--exclude-namespace: 'Legacy_Apps' is not a namespace name")]
    public async Task Install_BadOption_Exits2(string option, string value, string message)
    {
        var (code, output, error) = await PalisadeProcess.RunAsync(["install", option, value]);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
