using Palisade.Detection.Detectors.Rce;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Detectors.Rce;

public class RceDetectorTests
{
    private readonly RceDetector _detector = new();

    public static TheoryData<DetectorCase> Cases => DetectorCaseFiles.Load("Rce");

    [Theory]
    [MemberData(nameof(Cases))]
    public void TryDetect_CaseFile_MatchesLabel(DetectorCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        var found = _detector.TryDetect(testCase.Value, DetectorCaseFiles.Origin(testCase.Source), out var match);

        Assert.True(found == testCase.Attack, found
            ? $"{testCase}: flagged as '{match.Reason}' (score {match.Score}) at [{match.Start}, {match.Start + match.Length})"
            : $"{testCase}: not flagged");
    }

    [Fact]
    public void Identity_IsStable()
    {
        Assert.Equal("rce.shell", _detector.Id);
        Assert.Equal(AttackType.Rce, _detector.AttackType);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("hello")]
    [InlineData("550e8400-e29b-41d4-a716-446655440000")]
    public void TryDetect_PlainValue_ReturnsFalseWithDefaultMatch(string value)
    {
        Assert.False(_detector.TryDetect(value, new ValueOrigin(ValueSource.Query), out var match));
        Assert.Equal(default, match);
    }

    [Theory]
    [InlineData("x; id", "command after shell separator")]
    [InlineData("x$(whoami)", "command substitution")]
    [InlineData("w'h'o'am'i", "obfuscated command")]
    [InlineData("cat /etc/passwd", "command on a sensitive file")]
    [InlineData("() { :;}; echo zq", "shellshock function definition")]
    public void TryDetect_Attack_GivesFixedReason(string value, string reason)
    {
        Assert.True(_detector.TryDetect(value, new ValueOrigin(ValueSource.Query), out var match));
        Assert.Equal(reason, match.Reason);
        Assert.DoesNotContain("zq", match.Reason, StringComparison.Ordinal);
        Assert.InRange(match.Score, 1, 100);
    }

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
    public void TryDetect_AdversarialMegabyte_Returns(string unit, char filler)
    {
        // Every pattern is repeated to a full MiB: the detector must stay linear (no timing asserted, only that
        // it returns) and must not overflow the stack on deep nesting.
        var value = Repeat(unit, 1 << 20);
        foreach (var source in (ValueSource[])[ValueSource.Query, ValueSource.Body, ValueSource.Header])
        {
            _detector.TryDetect(value, new ValueOrigin(source), out var match);
            Assert.InRange(match.Start, 0, value.Length);
            Assert.InRange(match.Length, 0, value.Length - match.Start);
        }

        _detector.TryDetect(filler + value, new ValueOrigin(ValueSource.Json), out _);
    }

    [Fact]
    public void TryDetect_RandomValues_NeverThrow()
    {
        var random = new Random(932);
        const string alphabet = ";|&$`'\"\\(){}[]<>?*/-%\n\r \tabcdeilnopstw0123";
        for (var n = 0; n < 2000; n++)
        {
            var chars = new char[random.Next(1, 200)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = random.Next(8) == 0 ? (char)random.Next(1, 0xFFFF) : alphabet[random.Next(alphabet.Length)];
            }

            var value = new string(chars);
            _detector.TryDetect(value, new ValueOrigin(ValueSource.Query), out var match);
            Assert.InRange(match.Start + match.Length, 0, value.Length);
        }
    }

    private static string Repeat(string unit, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = unit[i % unit.Length];
        }

        return new string(chars);
    }
}

