using Palisade.Detection.Detectors.Rce;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Detectors.Rce;

public class RceDetectorTests() : DetectorCaseFileTests<RceDetector>("rce.shell", AttackType.Rce, ";|&$`'\"\\(){}[]<>?*/-%\n\r \tabcdeilnopstw0123")
{
    [Theory]
    [InlineData("x; id", "command after shell separator")]
    [InlineData("x$(whoami)", "command substitution")]
    [InlineData("w'h'o'am'i", "obfuscated command")]
    [InlineData("cat /etc/passwd", "command on a sensitive file")]
    [InlineData("() { :;}; echo zq", "shellshock function definition")]
    public void TryDetect_Attack_GivesFixedReason(string value, string reason) => AssertFixedReason(value, reason);

    [Theory]
    [InlineData(";", 'x')]
    [InlineData("|", 'x')]
    [InlineData("\'", 'x')]
    [InlineData("$(", 'x')]
    [InlineData("`", 'x')]
    [InlineData("; ", 'x')]
    [InlineData("\\", 'x')]
    [InlineData("${IFS}", 'x')]
    [InlineData("{", 'x')]
    [InlineData("; cat ", 'x')]
    [InlineData("/???/", 'x')]
    [InlineData("if ", 'x')]
    [InlineData("for /l %a in (", 'x')]
    [InlineData("*", 'x')]
    [InlineData("\"", 'x')]
    public void TryDetect_AdversarialMegabyte_Returns(string unit, char filler) => AssertMegabyteReturns(unit, filler, ValueSource.Query, ValueSource.Body, ValueSource.Header);
}

