using Palisade.Detection.Detectors.Nosqli;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Detectors.Nosqli;

public class NosqliDetectorTests
{
    private const string Specials = "()*|&!=$%0adDaA\\\r\n:;'\"<>[]{}/.~-xX\u560A";

    private readonly NosqliDetector _detector = new();

    public static TheoryData<DetectorCase> Cases => DetectorCaseFiles.Load("Nosqli");

    public static TheoryData<string> AdversarialUnits => new(["$", "$ne", "{\"$gt\":", "';", "|| 1==", "this.", "db.a.", "[$"]);

    [Theory]
    [MemberData(nameof(Cases))]
    public void TryDetect_CaseFile_MatchesLabel(DetectorCase testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        var found = _detector.TryDetect(testCase.Value, DetectorCaseFiles.Origin(testCase.Source), out var match);

        Assert.True(found == testCase.Attack, found
            ? $"{testCase}: flagged as '{match.Reason}' (score {match.Score}) at [{match.Start}, {match.Start + match.Length})"
            : $"{testCase}: not flagged");
        if (found)
        {
            Assert.InRange(match.Score, 1, 100);
            Assert.InRange(match.Start, 0, testCase.Value.Length);
            Assert.InRange(match.Length, 1, testCase.Value.Length - match.Start);
        }
    }

    [Fact]
    public void Identity_IsStable()
    {
        Assert.Equal("nosqli.operator", _detector.Id);
        Assert.Equal(AttackType.Nosqli, _detector.AttackType);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("hello")]
    [InlineData("550e8400-e29b-41d4-a716-446655440000")]
    [InlineData("2026-11-27")]
    public void TryDetect_PlainValue_ReturnsFalseWithDefaultMatch(string value)
    {
        foreach (var origin in Origins())
        {
            Assert.False(_detector.TryDetect(value, origin, out var match));
            Assert.Equal(default, match);
        }
    }

    [Theory]
    [MemberData(nameof(AdversarialUnits))]
    public void TryDetect_AdversarialMegabyte_Returns(string unit)
    {
        // Every pattern is repeated to a full MiB: the detector must stay linear (no timing asserted, only that it
        // returns) and keep its evidence inside the value.
        ArgumentNullException.ThrowIfNull(unit);
        var value = Repeat(unit, 1 << 20);
        foreach (var origin in Origins())
        {
            _detector.TryDetect(value, origin, out var match);
            Assert.InRange(match.Start, 0, value.Length);
            Assert.InRange(match.Length, 0, value.Length - match.Start);
        }
    }

    [Fact]
    public void TryDetect_RandomCharacters_NeverThrows()
    {
        var random = new Random(4515);
        var chars = new char[4096];
        for (var round = 0; round < 200; round++)
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = round % 2 == 0 ? (char)random.Next(0, 0x10000) : Specials[random.Next(0, Specials.Length)];
            }

            foreach (var origin in Origins())
            {
                _detector.TryDetect(chars, origin, out var match);
                Assert.InRange(match.Start + match.Length, 0, chars.Length);
            }
        }
    }

    private static ValueOrigin[] Origins() =>
    [
        new(ValueSource.Query), new(ValueSource.Query, IsName: true), new(ValueSource.Json), new(ValueSource.Body),
        new(ValueSource.Cookie), new(ValueSource.Path), new(ValueSource.Header, Header: "user-agent"),
    ];

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
