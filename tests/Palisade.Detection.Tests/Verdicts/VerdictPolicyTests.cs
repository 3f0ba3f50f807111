using Palisade.Detection.Verdicts;

namespace Palisade.Detection.Tests.Verdicts;

public class VerdictPolicyTests
{
    [Theory]
    [InlineData(EnforcementMode.Off, true, true, VerdictAction.Pass)]
    [InlineData(EnforcementMode.Monitoring, true, true, VerdictAction.Monitor)]
    [InlineData(EnforcementMode.SafeBlocking, true, false, VerdictAction.Monitor)]
    [InlineData(EnforcementMode.SafeBlocking, true, true, VerdictAction.Block)]
    [InlineData(EnforcementMode.Block, true, false, VerdictAction.Block)]
    [InlineData(EnforcementMode.Block, false, true, VerdictAction.Pass)]
    [InlineData(EnforcementMode.Monitoring, false, false, VerdictAction.Pass)]
    public void Decide_ModeAndSource_GivesAction(EnforcementMode mode, bool attack, bool graylisted, VerdictAction expected) =>
        Assert.Equal(expected, VerdictPolicy.Decide(attack, mode, graylisted));

    [Theory]
    [InlineData("off", EnforcementMode.Off)]
    [InlineData("Monitoring", EnforcementMode.Monitoring)]
    [InlineData("safe_blocking", EnforcementMode.SafeBlocking)]
    [InlineData("safe-blocking", EnforcementMode.SafeBlocking)]
    [InlineData(" block ", EnforcementMode.Block)]
    public void TryParse_Name_GivesMode(string name, EnforcementMode expected)
    {
        Assert.True(EnforcementModeNames.TryParse(name, out var mode));
        Assert.Equal(expected, mode);
        Assert.True(EnforcementModeNames.TryParse(expected.ToName(), out _));
    }

    [Fact]
    public void TryParse_Unknown_False() => Assert.False(EnforcementModeNames.TryParse("strict", out _));
}
