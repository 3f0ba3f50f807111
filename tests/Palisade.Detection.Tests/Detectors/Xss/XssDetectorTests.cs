using Palisade.Detection.Detectors.Xss;
using Palisade.Detection.Findings;

namespace Palisade.Detection.Tests.Detectors.Xss;

public class XssDetectorTests() : DetectorCaseFileTests<XssDetector>("xss.html", AttackType.Xss, "<>\"'=/&#;:()[]{}`\\ \tabcdefgijlmnoprstvx01\u00A0")
{
    [Fact]
    public void TryDetect_Finding_PointsAtTheEvidence()
    {
        const string value = "Hello <img src=x onerror=alert(1)> world";

        Assert.True(Detector.TryDetect(value, default, out var match));

        Assert.Equal(XssReasons.EventHandler, match.Reason);
        Assert.Equal("onerror=alert(1)", value.Substring(match.Start, match.Length));
        Assert.InRange(match.Score, 1, 100);
    }

    [Fact]
    public void TryDetect_ScriptElement_PointsAtTheTag()
    {
        const string value = "x\"><script src=//evil.example/x.js></script>";

        Assert.True(Detector.TryDetect(value, default, out var match));

        Assert.Equal(XssReasons.ScriptElement, match.Reason);
        Assert.Equal("<script src=//evil.example/x.js>", value.Substring(match.Start, match.Length));
    }

    [Fact]
    public void TryDetect_Reason_NeverContainsRequestData()
    {
        const string value = "<svg onload=alert('SECRET-MARKER')>";

        Assert.True(Detector.TryDetect(value, default, out var match));

        Assert.DoesNotContain("SECRET", match.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("john.doe@example.com")]
    [InlineData("https://example.com/a/b?c=d&e=f")]
    [InlineData("2024-01-01T12:30:00Z")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)")]
    [InlineData("<p>Hello <b>world</b> <a href=\"https://x.example\">x</a> <img src=\"a.png\" style=\"width:1px\"></p>")]
    [InlineData("<a href=\"jav&#x61;script:alert(1)\">x</a>")]
    [InlineData("';alert(1)//")]
    public void TryDetect_TypicalValues_AllocateNothing(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Detector.TryDetect(value, default, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Detector.TryDetect(value, default, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Theory]
    [InlineData('<')]
    [InlineData('=')]
    [InlineData('(')]
    [InlineData('&')]
    [InlineData('"')]
    public void TryDetect_MegabyteOfOneCharacter_Returns(char c)
    {
        var value = new string(c, 1 << 20);

        Assert.False(Detector.TryDetect(value, default, out _));
    }

    [Theory]
    [InlineData("<a a ")]
    [InlineData("<a b=\"1\" ")]
    [InlineData("<!--")]
    [InlineData("<style>a{}")]
    [InlineData("\" x=1 ")]
    [InlineData("alert(1)+")]
    [InlineData("[(")]
    [InlineData("/[/")]
    [InlineData("top[")]
    [InlineData("<a title='&lt;")]
    public void TryDetect_MegabyteOfRepeatedPattern_Returns(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var builder = new System.Text.StringBuilder(1 << 20);
        while (builder.Length < 1 << 20)
        {
            builder.Append(pattern);
        }

        // Only the return matters (the inputs are built to hit each state's worst case); the outcome may be either.
        _ = Detector.TryDetect(builder.ToString(), default, out _);
    }
}
