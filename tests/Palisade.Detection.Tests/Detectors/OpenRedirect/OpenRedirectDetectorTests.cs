using Palisade.Detection.Detectors.OpenRedirect;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Detectors.OpenRedirect;

public class OpenRedirectDetectorTests
{
    private readonly OpenRedirectDetector _detector = new();

    public static TheoryData<DetectorCase> Cases => DetectorCaseFiles.Load("OpenRedirect");

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
        Assert.Equal("open_redirect.url", _detector.Id);
        Assert.Equal(AttackType.OpenRedirect, _detector.AttackType);
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
    [InlineData("///zq.example.com/", OpenRedirectReasons.DisguisedProtocolRelative)]
    [InlineData("/\\zq.example.com/", OpenRedirectReasons.DisguisedProtocolRelative)]
    [InlineData("https:zq.example.com", OpenRedirectReasons.MalformedSchemeSlashes)]
    [InlineData("/https://zq.example.com", OpenRedirectReasons.UrlAfterSlash)]
    [InlineData("https://trusted.example@zq.example.com/", OpenRedirectReasons.HostLikeCredentials)]
    [InlineData("http://zq.example.com:80#@trusted.example/", OpenRedirectReasons.HostConfusion)]
    [InlineData("http://0xd83ad6ce", OpenRedirectReasons.ObfuscatedHost)]
    [InlineData("//zq.example.com/%2f..", OpenRedirectReasons.DotSegmentsAfterHost)]
    [InlineData("https://trusted.example/https://zq.example.com/", OpenRedirectReasons.NestedUrl)]
    [InlineData("\\x6A\\x61\\x76\\x61\\x73\\x63\\x72\\x69\\x70\\x74\\x3aalert(1)", OpenRedirectReasons.EscapedScriptScheme)]
    public void TryDetect_Attack_GivesFixedReason(string value, string reason)
    {
        Assert.True(_detector.TryDetect(value, new ValueOrigin(ValueSource.Query), out var match));
        Assert.Equal(reason, match.Reason);
        Assert.DoesNotContain("zq", match.Reason, StringComparison.Ordinal);
        Assert.InRange(match.Score, 1, 100);
    }

    [Theory]
    [InlineData("\\u006A\\u0061\\u0076\\u0061\\u0073\\u0063\\u0072\\u0069\\u0070\\u0074\\u003aalert(1)")]
    [InlineData("\\152\\141\\166\\141\\163\\143\\162\\151\\160\\164\\072alert(1)")]
    [InlineData("\\j\\av\\a\\s\\cr\\i\\pt\\:\\a\\l\\ert\\(1\\)")]
    public void TryDetect_EscapedScriptScheme_IsRead(string value)
    {
        Assert.True(_detector.TryDetect(value, new ValueOrigin(ValueSource.Query), out var match));
        Assert.Equal(OpenRedirectReasons.EscapedScriptScheme, match.Reason);
    }

    [Theory]
    [InlineData("/", 'x')]
    [InlineData("//", 'x')]
    [InlineData("\\", 'x')]
    [InlineData("https:", 'x')]
    [InlineData("a.b@", '/')]
    [InlineData("%2f", 'x')]
    [InlineData("\\x6A", 'x')]
    [InlineData("/?u=//a&", 'x')]
    [InlineData("\u3002", 'a')]
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
        var alphabet = "htps:/\\\\@#?.%0123456789abcdefx<>&=\t\u3002".ToCharArray();
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
