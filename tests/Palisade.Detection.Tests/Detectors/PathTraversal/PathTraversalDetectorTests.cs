using Palisade.Detection.Detectors.PathTraversal;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Detectors.PathTraversal;

public class PathTraversalDetectorTests
{
    private readonly PathTraversalDetector _detector = new();

    public static TheoryData<DetectorCase> Cases => DetectorCaseFiles.Load("PathTraversal");

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
        Assert.Equal("path_traversal.resolve", _detector.Id);
        Assert.Equal(AttackType.PathTraversal, _detector.AttackType);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12345")]
    [InlineData("hello")]
    [InlineData("2024-01-31")]
    [InlineData("550e8400-e29b-41d4-a716-446655440000")]
    public void TryDetect_PlainValue_ReturnsFalseWithDefaultMatch(string value)
    {
        Assert.False(_detector.TryDetect(value, new ValueOrigin(ValueSource.Query), out var match));
        Assert.Equal(default, match);
    }

    [Theory]
    [InlineData("../../../etc/passwd", PathTraversalReasons.SensitiveFile)]
    [InlineData("../../../zq/zq", PathTraversalReasons.ClimbAboveRoot)]
    [InlineData("..%5c..%5czq", PathTraversalReasons.DisguisedClimb)]
    [InlineData("php://filter/resource=zq", PathTraversalReasons.StreamWrapper)]
    [InlineData("/var/log/zq.log", PathTraversalReasons.SystemPath)]
    [InlineData("http://10.1.2.3/zq.php", PathTraversalReasons.RemoteInclusion)]
    public void TryDetect_Attack_GivesFixedReason(string value, string reason)
    {
        Assert.True(_detector.TryDetect(value, new ValueOrigin(ValueSource.Query), out var match));
        Assert.Equal(reason, match.Reason);
        Assert.DoesNotContain("zq", match.Reason, StringComparison.Ordinal);
        Assert.InRange(match.Score, 1, 100);
    }

    [Theory]
    [InlineData("%c0%ae%c0%ae%c0%afetc/issue")]
    [InlineData("\u00C0\u00AE\u00C0\u00AE\u00C0\u00AFetc/issue")]
    [InlineData("%5c..%5c..%5c..")]
    [InlineData("%%32%%65%%32%%65/%%32%%65%%32%%65/boot.ini")]
    [InlineData("..%uF025..%uF025etc%uF025shadow")]
    [InlineData("%f0%80%80%ae%f0%80%80%ae%f0%80%80%afwindows%f0%80%80%afwin.ini")]
    [InlineData("..2f..2fetc2fpasswd")]
    public void TryDetect_EncodedDotsAndSeparators_AreDecoded(string value)
    {
        Assert.True(_detector.TryDetect(value, new ValueOrigin(ValueSource.Query), out _));
    }

    [Theory]
    [InlineData("/", 'x')]
    [InlineData("../", 'x')]
    [InlineData("..\\", 'x')]
    [InlineData("%c0%ae", 'x')]
    [InlineData("%%32%", 'x')]
    [InlineData("%f8%80%80%80", 'x')]
    [InlineData("%u", 'x')]
    [InlineData("0x2e", 'x')]
    [InlineData(".", '/')]
    [InlineData("a/", 'x')]
    [InlineData("%", '%')]
    [InlineData("\u00C0", 'x')]
    public void TryDetect_AdversarialMegabyte_Returns(string unit, char filler)
    {
        // Every pattern is repeated to a full MiB: the detector must stay linear (no timing asserted, only that
        // it returns) and keep its evidence inside the value.
        var value = Repeat(unit, 1 << 20);
        foreach (var source in (ValueSource[])[ValueSource.Query, ValueSource.Path, ValueSource.Header])
        {
            _detector.TryDetect(value, new ValueOrigin(source), out var match);
            Assert.InRange(match.Start, 0, value.Length);
            Assert.InRange(match.Length, 0, value.Length - match.Start);
        }

        _detector.TryDetect(filler + value, new ValueOrigin(ValueSource.Json), out _);
    }

    [Fact]
    public void TryDetect_RandomText_NeverThrows()
    {
        var random = new Random(20261127);
        var alphabet = "./\\%0123456789abcdefxu:;?#@ \u00C0\u00AE\uFF0E\u2215\0".ToCharArray();
        for (var n = 0; n < 2000; n++)
        {
            var chars = new char[random.Next(1, 200)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = random.Next(4) == 0 ? (char)random.Next(0, 0x3000) : alphabet[random.Next(alphabet.Length)];
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
