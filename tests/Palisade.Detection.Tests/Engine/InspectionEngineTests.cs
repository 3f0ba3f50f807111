using System.Text;
using Palisade.Detection.Engine;
using Palisade.Detection.Parsing;
using Palisade.Detection.Snapshots;

namespace Palisade.Detection.Tests.Engine;

/// <summary>The engine walks every part of a request into named points and hands each value to every detector.</summary>
public class InspectionEngineTests
{
    [Theory]
    [InlineData("/a/EVIL!/c", "path.1")]
    [InlineData("/a/%45VIL", "path.1|percent")]
    [InlineData("/x?q=EVIL", "query.q")]
    [InlineData("/x?q=%45VIL", "query.q")]
    [InlineData("/x?q=%2545VIL", "query.q|percent")]
    [InlineData("/x?a=1&a=EVIL", "query.a")]
    public void Inspect_Target_FindsValueAtPoint(string target, string point)
    {
        var result = Engine().Inspect(new RequestSnapshot("GET", target, []));
        Assert.Contains(point, result.Findings.Select(f => f.Point));
    }

    [Fact]
    public void Inspect_QueryThatIsNotPairs_AlsoInspectedWhole()
    {
        var result = Engine().Inspect(new RequestSnapshot("GET", "/x?1'EVIL'='1", []));
        Assert.Contains("query", result.Findings.Select(f => f.Point));
    }

    [Fact]
    public void Inspect_OddParameterName_InspectedAsName()
    {
        var result = Engine().Inspect(new RequestSnapshot("GET", "/x?EVIL%3C=1", []));
        Assert.Contains("query.EVIL<#name", result.Findings.Select(f => f.Point));
    }

    [Fact]
    public void Inspect_PlainPathSegmentsAndNames_LeftToTheWholePath()
    {
        var detector = new MarkerDetector();
        new InspectionEngine([detector]).Inspect(new RequestSnapshot("GET", "/api/v1/items?id=7", []));
        Assert.Equal(["/api/v1/items", "7"], detector.Seen.Select(s => s.Value));
    }

    [Fact]
    public void Inspect_HeadersAndCookies_NamedByLowerCaseHeaderAndCookieName()
    {
        var result = Engine().Inspect(new RequestSnapshot("GET", "/", [new("User-Agent", "EVIL (1.0/x)"), new("Cookie", "a=1; sid=EVIL"), new("X-Custom", "%45VIL")]));
        Assert.Equal(["header.user-agent", "cookie.sid", "header.x-custom|percent"], result.Findings.Select(f => f.Point));
    }

    [Fact]
    public void Inspect_WellFormedUserAgent_OnlyDetectorsThatJudgeWellFormedHeadersSeeIt()
    {
        var injection = new MarkerDetector();
        var scanner = new MarkerDetector { JudgesWellFormedHeaders = true };
        const string Browser = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        new InspectionEngine([injection, scanner]).Inspect(new RequestSnapshot("GET", "/", [new("User-Agent", Browser), new("User-Agent", "time ifconfig")]));
        Assert.Equal(["time ifconfig"], injection.Seen.Select(s => s.Value));
        Assert.Equal([Browser, "time ifconfig"], scanner.Seen.Select(s => s.Value));
    }

    [Fact]
    public void Inspect_DetectorThatJudgesSomeSources_NeverCalledForOthers()
    {
        var headersOnly = new MarkerDetector { Sources = [ValueSource.Header] };
        var everywhere = new MarkerDetector();
        var request = new RequestSnapshot("POST", "/EVIL?q=EVIL", [new("X-Note", "EVIL"), new("Cookie", "c=EVIL"), new("Content-Type", "application/json")])
        {
            Body = "{\"a\":\"EVIL\",\"b\":\"eyJ4IjoiRVZJTCJ9\"}"u8.ToArray(),
        };

        new InspectionEngine([headersOnly, everywhere]).Inspect(request);

        // The content type is structural and never inspected; the other values reach only the detector that judges them.
        var seen = Assert.Single(headersOnly.Seen);
        Assert.Equal(("EVIL", ValueSource.Header, "x-note"), (seen.Value, seen.Origin.Source, seen.Origin.Header));
        Assert.Equal(
            [ValueSource.Path, ValueSource.Query, ValueSource.Header, ValueSource.Cookie, ValueSource.Json],
            everywhere.Seen.Select(s => s.Origin.Source).Distinct().Order());
    }

    [Fact]
    public void Inspect_ScannerUserAgentShapedLikeABrowser_StillAScanner()
    {
        var result = InspectionEngine.CreateDefault().Inspect(new RequestSnapshot("GET", "/", [new("User-Agent", "Mozilla/5.0 (compatible; Nmap Scripting Engine) sqlmap/1.7.2")]));
        Assert.Contains(result.Findings, f => f.DetectorId == "scanner.probe" && f.Point == "header.user-agent");
    }

    [Fact]
    public void Inspect_StructuralHeaders_NotInspected()
    {
        var detector = new MarkerDetector();
        new InspectionEngine([detector]).Inspect(new RequestSnapshot("GET", "/", [new("Content-Length", "EVIL"), new("Accept-Encoding", "EVIL")]));
        Assert.Empty(detector.Seen);
    }

    [Theory]
    [InlineData("application/json", """{"user":{"bio":"EVIL"}}""", "body.json.user.bio")]
    [InlineData("application/vnd.api+json; charset=utf-8", """[{"x":"EVIL"}]""", "body.json.0.x")]
    [InlineData("application/x-www-form-urlencoded", "a=1&comment=EVIL%21", "body.form.comment")]
    [InlineData("text/plain", "just EVIL text", "body.raw")]
    [InlineData("application/xml", "<a>EVIL</a>", "body.raw")]
    [InlineData("", """{"sniffed":"EVIL"}""", "body.json.sniffed")]
    [InlineData("", "sniffed=EVIL", "body.form.sniffed")]
    [InlineData("", "no pairs EVIL", "body.raw")]
    [InlineData("application/json", """{"broken": "EVIL" """, "body.json.broken")]
    public void Inspect_Body_ParsedByContentType(string contentType, string body, string point)
    {
        var headers = contentType.Length == 0 ? Array.Empty<HttpHeader>() : [new HttpHeader("Content-Type", contentType)];
        var result = Engine().Inspect(new RequestSnapshot("POST", "/", headers) { Body = Encoding.UTF8.GetBytes(body) });
        Assert.Contains(point, result.Findings.Select(f => f.Point));
    }

    [Theory]
    [InlineData("application/xml", "<?xml version=\"1.0\"?><r><a probe=\"EVIL\"/></r>", "body.xml.r.a.@probe")]
    [InlineData("", "<?xml version=\"1.0\"?><r>EVIL</r>", "body.xml.r")]
    [InlineData("", "pay%3DEVIL%2B1", "body.raw|form.pay")]
    public void Inspect_XmlAndEncodedBodies_ParsedToPoints(string contentType, string body, string point)
    {
        var headers = contentType.Length == 0 ? Array.Empty<HttpHeader>() : [new HttpHeader("Content-Type", contentType)];
        var result = Engine().Inspect(new RequestSnapshot("POST", "/", headers) { Body = Encoding.UTF8.GetBytes(body) });
        Assert.Contains(point, result.Findings.Select(f => f.Point));
    }

    [Fact]
    public void Inspect_UrlInHeader_QueryParametersBecomePoints()
    {
        var result = Engine().Inspect(new RequestSnapshot("GET", "/", [new("Referer", "https://shop.example/search?q=x+EVIL&page=2#top")]));
        Assert.Contains("header.referer|query.q", result.Findings.Select(f => f.Point));
    }

    [Theory]
    [InlineData("Referer", "www.shop.example?q=x+EVIL", true)]
    [InlineData("Origin", "shop.example:8080/search?q=EVIL", true)]
    [InlineData("Referer", "some text? q=EVIL", false)]
    [InlineData("X-Custom", "www.shop.example?q=EVIL", false)]
    public void Inspect_SchemelessUrlInUrlHeader_QueryParametersBecomePoints(string name, string value, bool parsed)
    {
        var result = Engine().Inspect(new RequestSnapshot("GET", "/", [new(name, value)]));
        Assert.Equal(parsed, result.Findings.Any(f => f.Point == $"header.{name.ToLowerInvariant()}|query.q"));
    }

    [Fact]
    public void Inspect_DoubleEncodedQueryValue_SecondRoundKeepsFormSemantics()
    {
        var detector = new MarkerDetector();
        new InspectionEngine([detector]).Inspect(new RequestSnapshot("GET", "/?q=a%252Bb%2Bc", []));
        Assert.Contains(detector.Seen, s => s.Value == "a+b c");
    }

    [Fact]
    public void Inspect_BrokenJson_AlsoInspectsTheRawBody()
    {
        var result = Engine().Inspect(new RequestSnapshot("POST", "/", [new("Content-Type", "application/json")]) { Body = "{\"a\": EVIL"u8.ToArray() });
        Assert.Equal("body.raw", Assert.Single(result.Findings).Point);
    }

    [Fact]
    public void Inspect_Multipart_NamesFieldsAndFileNames()
    {
        var body = "--b\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"EVIL.php\"\r\n\r\nEVIL content\r\n--b--\r\n";
        var result = Engine().Inspect(new RequestSnapshot("POST", "/", [new("Content-Type", "multipart/form-data; boundary=b")]) { Body = Encoding.UTF8.GetBytes(body) });
        Assert.Equal(["body.multipart.doc.filename", "body.multipart.doc"], result.Findings.Select(f => f.Point));
    }

    [Fact]
    public void Inspect_BinaryBody_NotInspectedAsText()
    {
        var detector = new MarkerDetector();
        new InspectionEngine([detector]).Inspect(new RequestSnapshot("POST", "/", [new("Content-Type", "application/octet-stream")]) { Body = new byte[] { 0x45, 0x56, 0x49, 0x4c, 0 } });
        Assert.DoesNotContain(detector.Seen, s => s.Origin.Source == ValueSource.Body);
    }

    [Fact]
    public void Inspect_SourceOrigins_ReachDetectors()
    {
        var detector = new MarkerDetector();
        new InspectionEngine([detector]).Inspect(new RequestSnapshot("POST", "/p%20x?q=v", [new("Referer", "r"), new("Cookie", "c=v"), new("Content-Type", "application/json")]) { Body = "{\"j\":\"v\"}"u8.ToArray() });
        Assert.Contains(detector.Seen, s => s.Origin.Source == ValueSource.Path);
        Assert.Contains(detector.Seen, s => s.Origin.Source == ValueSource.Query);
        Assert.Contains(detector.Seen, s => s.Origin is { Source: ValueSource.Header, Header: "referer" });
        Assert.Contains(detector.Seen, s => s.Origin.Source == ValueSource.Cookie);
        Assert.Contains(detector.Seen, s => s.Origin.Source == ValueSource.Json);
    }

    [Fact]
    public void Inspect_SecretPoints_EvidenceMasked()
    {
        var result = Engine().Inspect(new RequestSnapshot("POST", "/?api_key=EVILKEY&q=EVIL", [new("Authorization", "Bearer EVIL"), new("Cookie", "theme=EVIL"), new("Content-Type", "application/json")])
        {
            Body = """{"user":{"newPassword":"EVIL-pw","name":"EVIL"}}"""u8.ToArray(),
        });
        var byPoint = result.Findings.ToDictionary(f => f.Point, f => f.Evidence);
        Assert.StartsWith("[masked", byPoint["query.api_key"], StringComparison.Ordinal);
        Assert.StartsWith("[masked", byPoint["header.authorization"], StringComparison.Ordinal);
        Assert.StartsWith("[masked", byPoint["cookie.theme"], StringComparison.Ordinal);
        Assert.StartsWith("[masked", byPoint["body.json.user.newPassword"], StringComparison.Ordinal);
        Assert.Equal("EVIL", byPoint["query.q"]);
        Assert.Equal("EVIL", byPoint["body.json.user.name"]);
    }

    [Fact]
    public void Inspect_TooManyPoints_StopsAndSaysSo()
    {
        var query = string.Join("&", Enumerable.Range(0, 50).Select(i => $"p{i}=v"));
        var result = new InspectionEngine([new MarkerDetector()], new InspectionOptions { MaxPoints = 10 }).Inspect(new RequestSnapshot("GET", "/?" + query, []));
        Assert.True(result.BudgetExceeded);
        Assert.Equal(10, result.Points);
    }

    [Fact]
    public void Inspect_CleanRequest_NoFindings()
    {
        var result = Engine().Inspect(new RequestSnapshot("GET", "/products/42?sort=price", [new("Host", "shop.example"), new("User-Agent", "Mozilla/5.0")]));
        Assert.False(result.IsAttack);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void CreateDefault_BuiltInDetectors_CoverSqliAndXss()
    {
        var types = InspectionEngine.CreateDefault().Detectors.Select(d => d.AttackType).ToHashSet();
        Assert.Contains(Detection.Findings.AttackType.Sqli, types);
        Assert.Contains(Detection.Findings.AttackType.Xss, types);
    }

    private static InspectionEngine Engine() => new([new MarkerDetector()]);
}
