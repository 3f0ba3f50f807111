using Palisade.Detection.Findings;
using Palisade.Detection.Points;

namespace Palisade.Detection.Tests.Findings;

public class EvidenceFormatterTests
{
    [Fact]
    public void Format_ShortMatch_AddsContextAndEllipses()
    {
        var value = new string('a', 50) + "' OR 1=1--" + new string('b', 50);
        var evidence = EvidenceFormatter.Format(value, new DetectorMatch("r", 50, 10, 90), secret: false);
        Assert.StartsWith("…", evidence, StringComparison.Ordinal);
        Assert.EndsWith("…", evidence, StringComparison.Ordinal);
        Assert.Contains("' OR 1=1--", evidence, StringComparison.Ordinal);
        Assert.True(evidence.Length <= EvidenceFormatter.MaxLength + 2);
    }

    [Fact]
    public void Format_LongMatch_CutAtMaxLength() =>
        Assert.Equal(EvidenceFormatter.MaxLength + 1, EvidenceFormatter.Format(new string('x', 500), new DetectorMatch("r", 0, 500, 1), false).Length);

    [Fact]
    public void Format_ControlCharacters_Replaced() =>
        Assert.Equal("a?b?c", EvidenceFormatter.Format("a\rb\nc", new DetectorMatch("r", 0, 5, 1), false));

    [Fact]
    public void Format_Secret_ShowsOnlyLength() =>
        Assert.Equal("[masked: 7 chars]", EvidenceFormatter.Format("hunter2", new DetectorMatch("r", 0, 7, 1), secret: true));

    [Fact]
    public void Format_OutOfRangeMatch_Clamped() =>
        Assert.Equal("abc", EvidenceFormatter.Format("abc", new DetectorMatch("r", 10, 10, 1), false));

    [Theory]
    [InlineData("cookie", true)]
    [InlineData("header-authorization", true)]
    [InlineData("header-user-agent", false)]
    [InlineData("query-password", true)]
    [InlineData("json-user-password-decoded", true)]
    [InlineData("query-q", false)]
    public void IsSecretPoint_Point_Decides(string shape, bool secret)
    {
        var point = shape switch
        {
            "cookie" => Point.Cookie.Key("theme"),
            "header-authorization" => Point.Header.Key("authorization"),
            "header-user-agent" => Point.Header.Key("user-agent"),
            "query-password" => Point.Query.Key("password"),
            "json-user-password-decoded" => Point.BodyJson.Key("user").Key("password").Decoded("percent"),
            _ => Point.Query.Key("q"),
        };
        Assert.Equal(secret, EvidenceFormatter.IsSecretPoint(point));
    }
}
