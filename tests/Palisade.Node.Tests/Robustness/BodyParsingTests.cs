using System.Text;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Robustness;

/// <summary>ROBUSTNESS.md B.4: body parsing and content-type confusion, through a node in block mode.</summary>
public sealed class BodyParsingTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private const string Sqli = "1' union select password from users--";

    private NodeUnderTest Node => fixture.Node;

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/octet-stream")]
    public async Task D01_AJsonAttackUnderAnyOrNoContentType_IsSniffedAndBlocked(string? contentType)
    {
        var status = await PostAsync("D01", $"{{\"q\":\"{Sqli}\"}}", contentType);

        Assert.Equal(403, status);
    }

    [Fact]
    public async Task D01_AJsonAttackWithAMisspelledContentTypeHeader_IsSniffedAndBlocked()
    {
        var status = await PostAsync("D01", $"{{\"q\":\"{Sqli}\"}}", null, "ContentType: application/json\r\n");

        Assert.Equal(403, status);
    }

    [Theory]
    [InlineData("{\"q\":\"x\",\"q\":\"" + Sqli + "\"}")]
    [InlineData("{\"q\":\"" + Sqli + "\",\"q\":\"x\"}")]
    [InlineData("{\"\\u0071\":\"" + Sqli + "\"}")]
    [InlineData("{\"a\\u0000b\":\"" + Sqli + "\"}")]
    public async Task D02_DuplicateOrEscapedJsonKeys_EveryOccurrenceIsInspected(string json)
    {
        Assert.Equal(403, await PostAsync("D02", json, "application/json"));
    }

    [Theory]
    [InlineData("{/* c */ \"q\": \"" + Sqli + "\"}")]
    [InlineData("{'q': '1\\' union select password from users--'}")]
    [InlineData("{q: \"" + Sqli + "\",}")]
    [InlineData("{\"n\": NaN, \"q\": \"" + Sqli + "\"}")]
    public async Task D03_LenientJson_IsParsedForInspection(string json)
    {
        Assert.Equal(403, await PostAsync("D03", json, "application/json"));
    }

    [Theory]
    [InlineData("{\"a\":")]
    [InlineData("[1,2")]
    [InlineData("{\"a\":\"\\uZZZZ\"}")]
    public async Task D03_MalformedCleanJson_IsForwardedNever500(string json)
    {
        Assert.Equal(200, await PostAsync("D03", json, "application/json"));
    }

    [Theory]
    [InlineData(100_000)]
    [InlineData(1 << 20)]
    public async Task D04_DeeplyNestedJson_IsAnOverlimitFindingNotACrash(int depth)
    {
        Assert.Equal(403, await PostAsync("D04", new string('[', depth), "application/json"));
    }

    [Fact]
    public async Task D05_HundredThousandArguments_AreNeverSilentlyForwarded()
    {
        var form = string.Join('&', Enumerable.Range(0, 100_000).Select(i => $"a{i}=v"));

        Assert.Equal(403, await PostAsync("D05", form, "application/x-www-form-urlencoded"));
    }

    [Theory]
    [InlineData("multipart/form-data; boundary=\"XyZ\"", "XyZ")]
    [InlineData("multipart/form-data; boundary=XyZ ", "XyZ")]
    [InlineData("multipart/form-data; boundary=XyZ; boundary=Other", "XyZ")]
    [InlineData("multipart/form-data; boundary=XyZ; a=1; a=2", "XyZ")]
    [InlineData("multipart/form-data; charset=utf-8; boundary=XyZ", "XyZ")]
    public async Task D06_BoundaryVariants_AreParsedAndThePayloadFound(string contentType, string boundary)
    {
        var body = $"--{boundary}\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\n{Sqli}\r\n--{boundary}--\r\n";

        Assert.Equal(403, await PostAsync("D06", body, contentType));
    }

    [Fact]
    public async Task D06_ABoundarySplitPerRfc2231_IsRefusedOrParsed()
    {
        var body = $"--real\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\n{Sqli}\r\n--real--\r\n";

        Assert.True(await PostAsync("D06", body, "multipart/form-data; boundary*0=re; boundary*1=al") is 400 or 403);
    }

    [Theory]
    [InlineData("--B\r\ncontent-disposition: form-da\0a; name=\"q\"\r\n\r\n" + Sqli + "\r\n--B--\r\n")]
    [InlineData("--B\nContent-Disposition: form-data; name=\"q\"\n\n" + Sqli + "\n--B--\n")]
    [InlineData("preamble " + Sqli + "\r\n--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--B--\r\n")]
    [InlineData("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--B--\r\nepilogue " + Sqli)]
    [InlineData("--B\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\n" + Sqli)]
    [InlineData("--B\r\nContent-Disposition: form-data;\r\n name=\"q\"\r\n\r\n" + Sqli + "\r\n--B--\r\n")]
    public async Task D07_MalformedMultipart_IsRefusedOrItsRawBytesInspected(string body)
    {
        Assert.True(await PostAsync("D07", body, "multipart/form-data; boundary=B") is 400 or 403);
    }

    [Theory]
    [InlineData("--B\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\nok\r\n--B\r\nContent-Disposition: form-data; name=\"q\"\r\n\r\n" + Sqli + "\r\n--B--\r\n")]
    [InlineData("--B\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''%3Cscript%3Ealert(1)%3C%2Fscript%3E.txt\r\n\r\nx\r\n--B--\r\n")]
    [InlineData("--B\r\nContent-Disposition: form-data; name=\"a;b\\\"c\"\r\n\r\n" + Sqli + "\r\n--B--\r\n")]
    public async Task D08_EveryPartAndEncodedFilename_IsInspected(string body)
    {
        Assert.Equal(403, await PostAsync("D08", body, "multipart/form-data; boundary=B"));
    }

    [Fact]
    public async Task D09_ABase64EncodedPart_IsDecodedForInspection()
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(Sqli));
        var body = $"--B\r\nContent-Disposition: form-data; name=\"q\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{encoded}\r\n--B--\r\n";

        Assert.Equal(403, await PostAsync("D09", body, "multipart/form-data; boundary=B"));
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded; charset=ibm037", 415, "unsupported_charset")]
    [InlineData("application/x-www-form-urlencoded; charset=utf-7", 415, "unsupported_charset")]
    [InlineData("application/json; charset=\"UTF-16\"", 415, "unsupported_charset")]
    [InlineData("application/x-www-form-urlencoded; charset=utf-8; charset=utf-7", 400, "duplicate_charset")]
    public async Task D10_CharsetsOutsideTheAllowList_AreRefused(string contentType, int status, string reason)
    {
        var marker = FrontDoorProbe.Marker("D10");
        await FrontDoorProbe.AssertRejectedAsync(Node, marker, $"POST /{marker} HTTP/1.1\r\nHost: x\r\nContent-Type: {contentType}\r\nContent-Length: 3\r\n\r\na=b", status, reason);
    }

    [Fact]
    public async Task D10_ACharsetSmuggledInXUpDevcapPostCharset_IsRefused()
    {
        var marker = FrontDoorProbe.Marker("D10");
        await FrontDoorProbe.AssertRejectedAsync(Node, marker, $"POST /{marker} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nx-up-devcap-post-charset: ibm500\r\nContent-Length: 3\r\n\r\na=b", 415, "unsupported_charset");
    }

    [Theory]
    [InlineData("utf-8", "UTF-8", "utf8", "ISO-8859-1", "windows-1252")]
    public async Task D10_AllowedCharsets_Pass(params string[] charsets)
    {
        foreach (var charset in charsets)
        {
            Assert.Equal(200, await PostAsync("D10", "a=b", "application/x-www-form-urlencoded; charset=" + charset));
        }
    }

    [Theory]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    [InlineData("utf-32le")]
    [InlineData("utf-8")]
    public async Task D11_JsonWithAByteOrderMark_IsTranscodedAndInspected(string encoding)
    {
        var json = $"{{\"q\":\"{Sqli}\"}}";
        var (bom, body) = encoding switch
        {
            "utf-16le" => (new byte[] { 0xFF, 0xFE }, Encoding.Unicode.GetBytes(json)),
            "utf-16be" => (new byte[] { 0xFE, 0xFF }, Encoding.BigEndianUnicode.GetBytes(json)),
            "utf-32le" => (new byte[] { 0xFF, 0xFE, 0, 0 }, Encoding.UTF32.GetBytes(json)),
            _ => (new byte[] { 0xEF, 0xBB, 0xBF }, Encoding.UTF8.GetBytes(json)),
        };

        Assert.Equal(403, await PostBytesAsync("D11", [.. bom, .. body], "application/json"));
    }

    [Theory]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]><lolz>&lol3;</lolz>")]
    [InlineData("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>")]
    [InlineData("<r><a><![CDATA[1' union ]]><!-- split --><![CDATA[select password from users--]]></a></r>")]
    public async Task D12_XmlEntityAttacksAndSplitPayloads_AreBlocked(string xml)
    {
        Assert.Equal(403, await PostAsync("D12", xml, "application/xml"));
    }

    [Theory]
    [InlineData("{\"data\":\"eyJxIjoiMScgdW5pb24gc2VsZWN0IHBhc3N3b3JkIGZyb20gdXNlcnMtLSJ9\"}")]
    [InlineData("{\"q\":\"1\\u0027 union select password from users--\"}")]
    [InlineData("{\"q\":\"&lt;script&gt;alert(1)&lt;/script&gt;\"}")]
    [InlineData("{\"q\":\"%u003Cscript%u003Ealert(1)%u003C/script%u003E\"}")]
    public async Task D14_NestedEncodings_AreDecodedUntilThePayloadIsFound(string json)
    {
        Assert.Equal(403, await PostAsync("D14", json, "application/json"));
    }

    private Task<int> PostAsync(string id, string body, string? contentType, string extraFields = "") =>
        PostBytesAsync(id, Encoding.UTF8.GetBytes(body), contentType, extraFields);

    private async Task<int> PostBytesAsync(string id, byte[] bytes, string? contentType, string extraFields = "")
    {
        var marker = FrontDoorProbe.Marker(id);
        var type = contentType is null ? "" : $"Content-Type: {contentType}\r\n";
        var head = Encoding.ASCII.GetBytes($"POST /{marker} HTTP/1.1\r\nHost: x\r\n{type}{extraFields}Content-Length: {bytes.Length}\r\nConnection: close\r\n\r\n");
        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, [.. head, .. bytes], TimeSpan.FromSeconds(20));
        var status = exchange.Statuses.Single();
        Assert.NotEqual(500, status);
        Assert.Equal(status == 200 ? 1 : 0, await Node.Upstream!.ReceivedAsync(marker));
        return status;
    }
}
