using System.Text;
using Palisade.Detection.Engine;
using Palisade.Detection.Findings;
using Palisade.Detection.Snapshots;
using Palisade.Detection.Tests.Parsing;

namespace Palisade.Detection.Tests.Engine;

/// <summary>
/// Bodies are read as their Content-Type declares and as what their bytes are, after their Content-Encoding is
/// undone; XML sent inside a field is parsed into points of its own.
/// </summary>
public class BodyInspectorTests
{
    private static InspectionEngine Engine(InspectionOptions? options = null) => new([new MarkerDetector()], options);

    private static RequestSnapshot Post(byte[] body, params HttpHeader[] headers) => new("POST", "/api", headers) { Body = body };

    private static RequestSnapshot Post(string body, params HttpHeader[] headers) => Post(Encoding.UTF8.GetBytes(body), headers);

    private static string[] Points(RequestSnapshot request, InspectionOptions? options = null) =>
        [.. Engine(options).Inspect(request).Findings.Select(f => f.Point)];

    [Theory]
    [InlineData("gzip", "gzip")]
    [InlineData("deflate", "zlib")]
    [InlineData("br", "br")]
    public void Inspect_CompressedJson_FoundAtTheDecodedBodysPoint(string coding, string compressor)
    {
        var body = ContentDecoderTests.Compress(Encoding.UTF8.GetBytes("{\"user\":{\"name\":\"x EVIL\"}}"), compressor);
        var points = Points(Post(body, new HttpHeader("Content-Type", "application/json"), new HttpHeader("Content-Encoding", coding)));
        Assert.Equal([$"body|{coding}.json.user.name"], points);
    }

    [Fact]
    public void Inspect_CompressedForm_FoundAtTheDecodedFormPoint()
    {
        var body = ContentDecoderTests.Compress(Encoding.UTF8.GetBytes("a=1&b=EVIL"), "gzip");
        Assert.Equal(["body|gzip.form.b"], Points(Post(body, new HttpHeader("Content-Type", "application/x-www-form-urlencoded"), new HttpHeader("Content-Encoding", "gzip"))));
    }

    [Fact]
    public void Inspect_DecompressionBomb_Overlimit()
    {
        var bomb = ContentDecoderTests.Compress(new byte[8 * 1024 * 1024], "gzip");
        var result = InspectionEngine.CreateDefault().Inspect(Post(bomb, new HttpHeader("Content-Type", "text/plain"), new HttpHeader("Content-Encoding", "gzip")));
        Assert.True(result.BudgetExceeded);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(AttackType.Overlimit, finding.AttackType);
        Assert.Equal("decompressed", finding.Evidence);
    }

    [Fact]
    public void Inspect_DecompressionBombUnderPassPolicy_NotAnAttack()
    {
        var bomb = ContentDecoderTests.Compress(new byte[8 * 1024 * 1024], "gzip");
        var result = InspectionEngine.CreateDefault(new InspectionOptions { OverlimitPolicy = OverlimitPolicy.Pass })
            .Inspect(Post(bomb, new HttpHeader("Content-Type", "text/plain"), new HttpHeader("Content-Encoding", "gzip")));
        Assert.True(result.BudgetExceeded);
        Assert.False(result.IsAttack);
    }

    [Fact]
    public void Inspect_LabelledGzipButPlain_InspectedAsSent()
    {
        // An application that ignores Content-Encoding reads the bytes as they are; so does the engine.
        Assert.Equal(["body.json.q"], Points(Post("{\"q\":\"EVIL\"}", new HttpHeader("Content-Type", "application/json"), new HttpHeader("Content-Encoding", "gzip"))));
    }

    [Fact]
    public void Inspect_JsonSentAsTextPlain_BothViews()
    {
        var points = Points(Post("{\"q\":\"EVIL\"}", new HttpHeader("Content-Type", "text/plain;charset=UTF-8")));
        Assert.Equal(["body.json.q", "body.raw"], points.Order());
    }

    [Fact]
    public void Inspect_JsonSentAsForm_BothViews()
    {
        var points = Points(Post("{\"q\":\"EVIL\"}", new HttpHeader("Content-Type", "application/x-www-form-urlencoded")));
        Assert.Contains("body.json.q", points);
        Assert.Contains(points, p => p.StartsWith("body.form", StringComparison.Ordinal));
    }

    [Fact]
    public void Inspect_XmlSentAsForm_ParsedAsXmlToo()
    {
        var points = Points(Post("<?xml version=\"1.0\"?><order><note>EVIL</note></order>", new HttpHeader("Content-Type", "application/x-www-form-urlencoded")));
        Assert.Contains("body.xml.order.note", points);
    }

    [Fact]
    public void Inspect_FormSentAsJsonThatFailsToParse_RawAndFormViews()
    {
        var points = Points(Post("a=1&b=EVIL", new HttpHeader("Content-Type", "application/json")));
        Assert.Contains("body.raw", points);
        Assert.Contains("body.form.b", points);
    }

    [Fact]
    public void Inspect_DeclaredJsonThatParses_OnlyTheJsonView()
    {
        Assert.Equal(["body.json.q"], Points(Post("{\"q\":\"EVIL\"}", new HttpHeader("Content-Type", "application/json"))));
    }

    [Theory]
    [InlineData("/x?doc=%3C%3Fxml%20version%3D%221.0%22%3F%3E%3Ca%3E%3Cb%3EEVIL%3C%2Fb%3E%3C%2Fa%3E", "query.doc|xml.a.b")]
    [InlineData("/x?doc=%3C!DOCTYPE%20a%3E%3Ca%20id%3D%22EVIL%22%2F%3E", "query.doc|xml.a.@id")]
    public void Inspect_XmlInAField_ParsedIntoPoints(string target, string point)
    {
        var result = Engine().Inspect(new RequestSnapshot("GET", target, []));
        Assert.Contains(point, result.Findings.Select(f => f.Point));
    }

    [Fact]
    public void Inspect_XmlInAJsonMember_ParsedIntoPoints()
    {
        var points = Points(Post("{\"soap\":\"<?xml version=\\\"1.0\\\"?><env><body>EVIL</body></env>\"}", new HttpHeader("Content-Type", "application/json")));
        Assert.Contains("body.json.soap|xml.env.body", points);
    }
}
