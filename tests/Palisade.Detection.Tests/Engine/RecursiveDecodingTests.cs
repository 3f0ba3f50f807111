using System.Text;
using Palisade.Detection.Engine;
using Palisade.Detection.Findings;
using Palisade.Detection.Snapshots;

namespace Palisade.Detection.Tests.Engine;

/// <summary>Encoded values are peeled and decoded containers parsed, with the decoders named in the point path.</summary>
public class RecursiveDecodingTests
{
    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string B64Url(string text) => B64(text).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Theory]
    [InlineData("/x?q=%u0045VIL", "query.q")]
    [InlineData("/x?q=%26%2369%3BVIL", "query.q|html")]
    [InlineData("/x?q=%5Cx45VIL", "query.q|js")]
    [InlineData("/x?data=%7B%22user%22%3A%7B%22name%22%3A%22%5Cu0045VIL%22%7D%7D", "query.data|json.user.name")]
    public void Inspect_EncodedValue_FoundAtDecodedPoint(string target, string point)
    {
        var result = Engine().Inspect(new RequestSnapshot("GET", target, []));
        Assert.Contains(point, result.Findings.Select(f => f.Point));
    }

    [Fact]
    public void Inspect_Base64Json_ParsedIntoMembers()
    {
        var value = Uri.EscapeDataString(B64("{\"user\":\"x EVIL y\",\"n\":1}"));
        var result = Engine().Inspect(new RequestSnapshot("GET", "/x?data=" + value, []));
        Assert.Contains("query.data|base64|json.user", result.Findings.Select(f => f.Point));
    }

    [Fact]
    public void Inspect_CookieBase64Form_ParsedIntoPairs()
    {
        var result = Engine().Inspect(new RequestSnapshot("GET", "/", [new("Cookie", "prefs=" + B64("theme=EVIL&lang=en"))]));
        Assert.Contains("cookie.prefs|base64|form.theme", result.Findings.Select(f => f.Point));
    }

    [Fact]
    public void Inspect_JwtPayload_MembersAreMarkedWithJwt()
    {
        var token = B64Url("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + B64Url("{\"sub\":\"EVIL admin\"}") + ".c2lnbmF0dXJl";
        var result = Engine().Inspect(new RequestSnapshot("GET", "/", [new("Authorization", "Bearer " + token)]));
        Assert.Contains("header.authorization|jwt.payload.sub", result.Findings.Select(f => f.Point));
    }

    [Fact]
    public void Inspect_NestedBase64BeyondDepth_ReportsOverlimit()
    {
        var value = "EVIL payload hidden here";
        for (var i = 0; i < 20; i++)
        {
            value = B64(value);
        }

        var result = Engine().Inspect(new RequestSnapshot("POST", "/", [new("Content-Type", "text/plain")]) { Body = Encoding.ASCII.GetBytes(value) });
        Assert.True(result.BudgetExceeded);
        Assert.Contains(result.Findings, f => f.AttackType == AttackType.Overlimit);
    }

    [Fact]
    public void Inspect_OverlimitWithPassPolicy_FlagsWithoutFinding()
    {
        var options = InspectionOptions.Default with { MaxPoints = 3, OverlimitPolicy = OverlimitPolicy.Pass };
        var result = new InspectionEngine([new MarkerDetector()], options).Inspect(new RequestSnapshot("GET", "/x?a=1&b=2&c=3&d=4&e=5", []));
        Assert.True(result.BudgetExceeded);
        Assert.DoesNotContain(result.Findings, f => f.AttackType == AttackType.Overlimit);
    }

    [Fact]
    public void Inspect_PlainValues_NotDecoded()
    {
        var detector = new MarkerDetector();
        new InspectionEngine([detector]).Inspect(new RequestSnapshot("GET", "/x?id=550e8400-e29b-41d4-a716-446655440000&q=hello+world&d=2024-01-01", []));
        Assert.Equal(3, detector.Seen.Count(s => s.Origin.Source == Detection.Parsing.ValueSource.Query));
    }

    private static InspectionEngine Engine() => new([new MarkerDetector()]);
}
