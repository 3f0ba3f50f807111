using Palisade.Detection.Detectors.OpenRedirect;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Detectors.OpenRedirect;

public class OpenRedirectDetectorTests() : DetectorCaseFileTests<OpenRedirectDetector>("open_redirect.url", AttackType.OpenRedirect, "htps:/\\\\@#?.%0123456789abcdefx<>&=\t\u3002")
{
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
    public void TryDetect_Attack_GivesFixedReason(string value, string reason) => AssertFixedReason(value, reason);

    [Theory]
    [InlineData("\\u006A\\u0061\\u0076\\u0061\\u0073\\u0063\\u0072\\u0069\\u0070\\u0074\\u003aalert(1)")]
    [InlineData("\\152\\141\\166\\141\\163\\143\\162\\151\\160\\164\\072alert(1)")]
    [InlineData("\\j\\av\\a\\s\\cr\\i\\pt\\:\\a\\l\\ert\\(1\\)")]
    public void TryDetect_EscapedScriptScheme_IsRead(string value)
    {
        Assert.True(Detector.TryDetect(value, new ValueOrigin(ValueSource.Query), out var match));
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
    public void TryDetect_AdversarialMegabyte_Returns(string unit, char filler) => AssertMegabyteReturns(unit, filler, ValueSource.Query, ValueSource.Path, ValueSource.Header);
}
