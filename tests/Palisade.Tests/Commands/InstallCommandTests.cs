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

    [Theory]
    [InlineData("--namespace", "Bad_Namespace", "is not a namespace name")]
    [InlineData("--failure-policy", "Sometimes", "use Fail or Ignore")]
    [InlineData("--mode", "loud", "is not a mode")]
    public async Task Install_BadOption_Exits2(string option, string value, string message)
    {
        var (code, output, error) = await PalisadeProcess.RunAsync(["install", option, value]);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}
