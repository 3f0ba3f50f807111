using Palisade.Detection.Detectors.CodeInjection;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Detectors.CodeInjection;

public class CodeInjectionDetectorTests
{
    private readonly CodeInjectionDetector _detector = new();

    public static TheoryData<DetectorCase> Cases => DetectorCaseFiles.Load("CodeInjection");

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
        Assert.Equal("code_injection.grammar", _detector.Id);
        Assert.Equal(AttackType.CodeInjection, _detector.AttackType);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("hello")]
    [InlineData("550e8400-e29b-41d4-a716-446655440000")]
    [InlineData("2024-07-02")]
    public void TryDetect_PlainValue_ReturnsFalseWithDefaultMatch(string value)
    {
        Assert.False(_detector.TryDetect(value, new ValueOrigin(ValueSource.Query), out var match));
        Assert.Equal(default, match);
    }

    [Theory]
    [InlineData("${")]
    [InlineData("{{")]
    [InlineData("{{7*")]
    [InlineData("<%")]
    [InlineData("<?")]
    [InlineData("#{")]
    [InlineData("@{[")]
    [InlineData("(")]
    [InlineData("$a(")]
    [InlineData("__class__.")]
    [InlineData("a.")]
    [InlineData("O:1:")]
    [InlineData("://")]
    [InlineData("}")]
    [InlineData("'")]
    [InlineData("${::-")]
    [InlineData("${${lower:")]
    [InlineData("&#36;{")]
    [InlineData("while(")]
    public void TryDetect_AdversarialMegabyte_Returns(string unit)
    {
        // Every pattern is repeated to a full MiB: the detector must stay linear (no timing asserted, only that
        // it returns) and must not overflow the stack on deep nesting.
        var value = Repeat(unit, 1 << 20);
        foreach (var source in (ValueSource[])[ValueSource.Query, ValueSource.Body, ValueSource.Json])
        {
            _detector.TryDetect(value, new ValueOrigin(source), out var match);
            Assert.InRange(match.Start, 0, value.Length);
            Assert.InRange(match.Length, 0, value.Length - match.Start);
        }
    }

    [Fact]
    public void TryDetect_RandomText_NeverThrowsAndSpansStayInside()
    {
        var random = new Random(20261127);
        const string alphabet = "{}[]()<>%#$@*+-/'\"`_.:;|=!?&\\ azAZ09jndi";
        for (var round = 0; round < 2000; round++)
        {
            var chars = new char[random.Next(1, 200)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = round % 4 == 0 ? (char)random.Next(0, 0xD800) : alphabet[random.Next(alphabet.Length)];
            }

            if (_detector.TryDetect(chars, new ValueOrigin(ValueSource.Query), out var match))
            {
                Assert.InRange(match.Start, 0, chars.Length);
                Assert.InRange(match.Length, 0, chars.Length - match.Start);
                Assert.InRange(match.Score, 1, 100);
            }
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
