using Palisade.Detection.Verdicts;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Robustness;

/// <summary>ROBUSTNESS.md B.1: HTTP/1.1 framing and smuggling, against a real node and the recording application.</summary>
public sealed class FramingTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private NodeUnderTest Node => fixture.Node;

    [Theory]
    [InlineData(EnforcementMode.Block)]
    [InlineData(EnforcementMode.Monitoring)]
    [InlineData(EnforcementMode.Off)]
    public async Task F01_ContentLengthWithTransferEncoding_IsRejectedInEveryModeAndTheSmuggledRequestNeverParsed(EnforcementMode mode)
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { Mode = mode });
        var marker = FrontDoorProbe.Marker("F01");
        var smuggled = $"GET /admin/{marker} HTTP/1.1\r\nHost: x\r\n\r\n";
        var request = $"POST /{marker} HTTP/1.1\r\nHost: x\r\nContent-Length: 13\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n{smuggled}";

        await FrontDoorProbe.AssertRejectedAsync(node, marker, request, 400, "content_length_with_transfer_encoding");
    }

    [Theory]
    [InlineData("Content-Length: 5\r\nContent-Length: 6\r\n")]
    [InlineData("Content-Length: 5, 6\r\n")]
    [InlineData("Content-Length: 5\r\nContent-Length: 5\r\n")]
    [InlineData("Content-Length: 5, 5\r\n")]
    public async Task F02_TwoContentLengths_AreRejected(string fields)
    {
        var marker = FrontDoorProbe.Marker("F02");
        await FrontDoorProbe.AssertRejectedAsync(Node, marker, $"POST /{marker} HTTP/1.1\r\nHost: x\r\n{fields}\r\nhello!", 400, "duplicate_content_length");
    }

    [Theory]
    [InlineData("+5")]
    [InlineData("-1")]
    [InlineData("0x10")]
    [InlineData("5_0")]
    [InlineData("5 0")]
    [InlineData("")]
    [InlineData("99999999999999999999")]
    [InlineData("1e3")]
    public async Task F03_MalformedContentLength_IsRejected(string value)
    {
        var marker = FrontDoorProbe.Marker("F03");
        await FrontDoorProbe.AssertRejectedAsync(Node, marker, $"POST /{marker} HTTP/1.1\r\nHost: x\r\nContent-Length: {value}\r\n\r\nhello", 400, "bad_content_length");
    }

    [Theory]
    [InlineData("05", 5)]
    [InlineData(" 5", 5)]
    [InlineData("5 ", 5)]
    public async Task F03_ContentLengthWithLeadingZeroOrOptionalWhitespace_IsTheNumberItSays(string value, int length)
    {
        // Optional whitespace around a field value is not part of it (RFC 9112 §5); "05" is 1*DIGIT.
        var marker = FrontDoorProbe.Marker("F03");
        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, $"POST /{marker} HTTP/1.1\r\nHost: x\r\nContent-Length: {value}\r\nConnection: close\r\n\r\nhello");

        Assert.Equal([200], exchange.Statuses);
        Assert.Equal(length, Recorded.FromRawResponse(exchange.Response).Body.Length);
    }

    [Theory]
    [InlineData("Transfer-Encoding: xchunked\r\n", 400, "bad_transfer_encoding")]
    [InlineData("Transfer-Encoding: \"chunked\"\r\n", 400, "bad_transfer_encoding")]
    [InlineData("Transfer-Encoding: chunked, cow\r\n", 400, "chunked_not_final")]
    [InlineData("Transfer-Encoding: cow, chunked\r\n", 501, "unsupported_transfer_coding")]
    [InlineData("Transfer-Encoding: chunked, chunked\r\n", 400, "bad_transfer_encoding")]
    [InlineData("Transfer-Encoding: chunked\x0b\r\n", 400, "control_character_in_header")]
    [InlineData("Transfer-Encoding : chunked\r\n", 400, "bad_header_name")]
    [InlineData("Transfer_Encoding: chunked\r\n", 400, "underscore_in_framing_header")]
    [InlineData("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", 400, "duplicate_transfer_encoding")]
    [InlineData("Transfer-Encoding: identity\r\n", 400, "bad_transfer_encoding")]
    [InlineData("Transfer-Encoding:\r\n chunked\r\n", 400, "bad_transfer_encoding")]
    [InlineData("Transfer-Encoding: identity\r\n ,chunked\r\n", 400, "bad_transfer_encoding")]
    [InlineData("X: y\r\n chunked\r\nTransfer-Encoding: chunked\r\n", 400, "obs_fold")]
    public async Task F04_ObfuscatedTransferEncoding_IsRejectedNeverReadAsContentLength(string fields, int status, string reason)
    {
        var marker = FrontDoorProbe.Marker("F04");
        var smuggled = $"GET /admin/{marker} HTTP/1.1\r\nHost: x\r\n\r\n";
        var request = $"POST /{marker} HTTP/1.1\r\nHost: x\r\n{fields}\r\n5\r\nhello\r\n0\r\n\r\n{smuggled}";

        await FrontDoorProbe.AssertRejectedAsync(Node, marker, request, status, reason);
    }

    [Theory]
    [InlineData("Chunked")]
    [InlineData("CHUNKED")]
    [InlineData("\tchunked")]
    [InlineData("chunked  ")]
    public async Task F04_ChunkedInAnyCaseOrWithOptionalWhitespace_IsReadAsChunked(string value)
    {
        var marker = FrontDoorProbe.Marker("F04");
        var request = $"POST /{marker} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: {value}\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n";

        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, request);

        Assert.Equal([200], exchange.Statuses);
        Assert.Equal("hello"u8.ToArray(), Recorded.FromRawResponse(exchange.Response).Body);
    }

    [Theory]
    [InlineData("chunked, gzip", 400, "chunked_not_final")]
    [InlineData("gzip, chunked", 501, "unsupported_transfer_coding")]
    [InlineData("gzip", 400, "bad_transfer_encoding")]
    public async Task F05_ChunkedNotAlone_IsRejected(string value, int status, string reason)
    {
        var marker = FrontDoorProbe.Marker("F05");
        await FrontDoorProbe.AssertRejectedAsync(Node, marker, $"POST /{marker} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: {value}\r\n\r\n5\r\nhello\r\n0\r\n\r\n", status, reason);
    }

    [Theory]
    [InlineData("2;\nab\r\n0\r\n\r\n", "bare_lf")]
    [InlineData("2;\r xx\r\nab\r\n0\r\n\r\n", "bare_cr")]
    [InlineData("2;\r\nab\r\n0\r\n\r\n", "bad_chunk_extension")]
    [InlineData("2;a=\x01\r\nab\r\n0\r\n\r\n", "bad_chunk_extension")]
    [InlineData("2 ;a=b\r\nab\r\n0\r\n\r\n", "bad_chunk_size")]
    [InlineData("2;a=\"unterminated\r\nab\r\n0\r\n\r\n", "bad_chunk_extension")]
    public async Task F06_ChunkExtensionAbuse_IsRejected(string body, string reason)
    {
        var marker = FrontDoorProbe.Marker("F06");
        await AssertBodyRejectedAsync(marker, body, reason);
    }

    [Fact]
    public async Task F06_AChunkExtensionOver4KiB_IsRejected()
    {
        var marker = FrontDoorProbe.Marker("F06");
        await AssertBodyRejectedAsync(marker, "2;a=" + new string('b', 64 * 1024) + "\r\nab\r\n0\r\n\r\n", "chunk_line_too_long");
    }

    [Fact]
    public async Task F06_WellFormedChunkExtensions_PassAndTheBodyArrivesWhole()
    {
        var marker = FrontDoorProbe.Marker("F06");
        var request = $"POST /{marker} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2;name=value;flag\r\nab\r\n3;q=\"a;b\"\r\ncde\r\n0\r\n\r\n";

        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, request);

        Assert.Equal([200], exchange.Statuses);
        Assert.Equal("abcde"u8.ToArray(), Recorded.FromRawResponse(exchange.Response).Body);
    }

    [Theory]
    [InlineData("0x5")]
    [InlineData("+5")]
    [InlineData("-5")]
    [InlineData(" 5")]
    [InlineData("5 ")]
    [InlineData("5_")]
    [InlineData("FFFFFFFFFFFFFFFF0")]
    [InlineData("")]
    public async Task F07_MalformedChunkSize_IsRejectedNever500(string size)
    {
        var marker = FrontDoorProbe.Marker("F07");
        await AssertBodyRejectedAsync(marker, size + "\r\nhello\r\n0\r\n\r\n", "bad_chunk_size");
    }

    [Theory]
    [InlineData("GET /{0} HTTP/1.1\nHost: x\r\n\r\n", "bare_lf")]
    [InlineData("GET /{0} HTTP/1.1\r\nHost: x\n\r\n", "bare_lf")]
    [InlineData("GET /{0} HTTP/1.1\r\nHost: x\r\n\n", "bare_lf")]
    [InlineData("GET /{0} HTTP/1.1\r\nHost: x\r\nX: a\rb\r\n\r\n", "bare_cr")]
    [InlineData("GET /{0} HTTP/1.1\r\nHost: x\r\nX: a\r\r\n\r\n", "bare_cr")]
    public async Task F08_BareLineFeedOrCarriageReturnInTheHead_IsRejected(string template, string reason)
    {
        var marker = FrontDoorProbe.Marker("F08");
        await FrontDoorProbe.AssertRejectedAsync(Node, marker, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, marker), 400, reason);
    }

    [Theory]
    [InlineData("0\n\r\n", "bare_lf")]
    [InlineData("5\r\nhello\n0\r\n\r\n", "bare_lf")]
    [InlineData("5\r\nhello\r\n0\r\n\n", "bare_lf")]
    public async Task F08_BareLineFeedInChunkLines_IsRejected(string body, string reason)
    {
        var marker = FrontDoorProbe.Marker("F08");
        await AssertBodyRejectedAsync(marker, body, reason);
    }

    [Theory]
    [InlineData("X: a\r\n b\r\n", "obs_fold")]
    [InlineData("Host : x\r\n", "bad_header_name")]
    [InlineData(" X: a\r\n", "obs_fold")]
    [InlineData("NoColon\r\n", "bad_header_name")]
    [InlineData(": empty-name\r\n", "bad_header_name")]
    [InlineData("Bad Name: v\r\n", "bad_header_name")]
    [InlineData("X-\x7fName: v\r\n", "bad_header_name")]
    public async Task F09_MalformedFieldLines_AreRejected(string line, string reason)
    {
        var marker = FrontDoorProbe.Marker("F09");
        var host = line.StartsWith("Host", StringComparison.Ordinal) ? "" : "Host: x\r\n";
        var head = line.StartsWith(' ') ? $"GET /{marker} HTTP/1.1\r\n{line}{host}\r\n" : $"GET /{marker} HTTP/1.1\r\n{host}{line}\r\n";
        await FrontDoorProbe.AssertRejectedAsync(Node, marker, head, 400, reason);
    }

    [Fact]
    public async Task F10_PipelinedRequests_AreEachInspected()
    {
        var marker = FrontDoorProbe.Marker("F10");
        var request = $"GET /{marker}/first HTTP/1.1\r\nHost: x\r\n\r\nGET /{marker}/second?id=1%27%20OR%20%271%27%3D%271 HTTP/1.1\r\nHost: x\r\n\r\nGET /{marker}/third HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, request);

        Assert.Equal([200, 403, 200], exchange.Statuses);
        Assert.Equal(2, await Node.Upstream!.ReceivedAsync(marker));
    }

    [Fact]
    public async Task F10_ABadRequestAfterAGoodOne_IsAnsweredAfterItAndNothingAfterItIsParsed()
    {
        var marker = FrontDoorProbe.Marker("F10");
        var request = $"GET /{marker}/good HTTP/1.1\r\nHost: x\r\n\r\nPOST /{marker}/bad HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcGET /{marker}/after HTTP/1.1\r\nHost: x\r\n\r\n";

        await FrontDoorProbe.AssertRejectedAsync(Node, marker, request, 400, "duplicate_content_length", answeredBefore: 1);
    }

    [Fact]
    public async Task F10_ABodyShorterThanItsContentLength_TimesOutAndIsNeverForwarded()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { Mode = EnforcementMode.Block });
        var marker = FrontDoorProbe.Marker("F10");

        var exchange = await RawExchange.SendAsync(node.Node.ProxyAddress, $"POST /{marker} HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello", TimeSpan.FromSeconds(15));

        Assert.True(exchange.Closed, exchange.Response);
        Assert.True(exchange.Statuses is [] or [408] or [400], exchange.Response);
        Assert.Equal(0, await node.Upstream!.ReceivedAsync(marker));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    public async Task F11_ABodyOnAMethodWithoutOne_IsReadInspectedAndForwardedWithItsFraming(string method)
    {
        var marker = FrontDoorProbe.Marker("F11");
        var clean = await RawExchange.SendAsync(Node.Node.ProxyAddress, $"{method} /{marker} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" + $"GET /{marker}/next HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        var attack = await RawExchange.SendAsync(Node.Node.ProxyAddress, $"{method} /{marker} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n1c\r\nq=1' union select password--\r\n0\r\n\r\n");

        Assert.Equal([200, 200], clean.Statuses);
        Assert.Equal([403], attack.Statuses);
        if (method != "HEAD")
        {
            Assert.Equal("hello"u8.ToArray(), Recorded.FromRawResponse(clean.Response[..clean.Response.IndexOf("HTTP/1.1 200", 10, StringComparison.Ordinal)]).Body);
        }

        Assert.Equal(2, await Node.Upstream!.ReceivedAsync(marker));
    }

    [Theory]
    [InlineData("Content-Length: 5")]
    [InlineData("Transfer-Encoding: chunked")]
    [InlineData("Host: evil.example")]
    [InlineData("Authorization: Bearer x")]
    [InlineData("Cookie: session=1")]
    [InlineData("X-Forwarded-For: 127.0.0.1")]
    [InlineData("content_length: 5")]
    public async Task F12_FramingRoutingOrCredentialFieldsInTrailers_AreRejected(string trailer)
    {
        // Stricter than dropping them: a request that tries this is refused whole (documented).
        var marker = FrontDoorProbe.Marker("F12");
        await AssertBodyRejectedAsync(marker, $"5\r\nhello\r\n0\r\n{trailer}\r\n\r\n", "forbidden_trailer");
    }

    [Fact]
    public async Task F12_OrdinaryTrailers_PassAndNeverBecomeHeaders()
    {
        var marker = FrontDoorProbe.Marker("F12");
        var request = $"POST /{marker} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\nX-Checksum: abc\r\n\r\n";

        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, request);

        Assert.Equal([200], exchange.Statuses);
        var recorded = Recorded.FromRawResponse(exchange.Response);
        Assert.Empty(recorded.Values("X-Checksum"));
        Assert.Equal("hello"u8.ToArray(), recorded.Body);
    }

    [Theory]
    [InlineData("POST /{0} HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", 400, "transfer_encoding_in_http10")]
    [InlineData("GET /{0}\r\n\r\n", 400, "bad_request_line")]
    [InlineData("GET /{0} HTTP/1.2\r\nHost: x\r\n\r\n", 505, "unsupported_version")]
    [InlineData("GET /{0} HTTP/3.0\r\nHost: x\r\n\r\n", 505, "unsupported_version")]
    [InlineData("GET /{0} HTTP/2.0\r\nHost: x\r\n\r\n", 505, "unsupported_version")]
    [InlineData("GET /{0} http/1.1\r\nHost: x\r\n\r\n", 400, "bad_version")]
    [InlineData("GET /{0} HTTP/1.1 \r\nHost: x\r\n\r\n", 400, "bad_version")]
    [InlineData("GET /{0} HTTP/11\r\nHost: x\r\n\r\n", 400, "bad_version")]
    public async Task F16_VersionsOtherThan10And11_AreRejected(string template, int status, string reason)
    {
        var marker = FrontDoorProbe.Marker("F16");
        await FrontDoorProbe.AssertRejectedAsync(Node, marker, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, marker), status, reason);
    }

    [Fact]
    public async Task F16_Http10WithoutHost_IsServed()
    {
        var marker = FrontDoorProbe.Marker("F16");
        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, $"GET /{marker} HTTP/1.0\r\n\r\n");

        Assert.Equal([200], exchange.Statuses);
        Assert.Equal(1, await Node.Upstream!.ReceivedAsync(marker));
    }

    // A body violation is found after the head went to the HTTP parser: the body is cut there, the node answers 400
    // (never a 500, never an empty 200) and closes, and in an inspecting mode nothing reaches the application.
    private async Task AssertBodyRejectedAsync(string marker, string chunkedBody, string reason)
    {
        var before = await FrontDoorProbe.ViolationsAsync(Node, reason);
        var smuggled = $"GET /admin/{marker} HTTP/1.1\r\nHost: x\r\n\r\n";

        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, $"POST /{marker} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{chunkedBody}{smuggled}");

        Assert.True(exchange.Closed, exchange.Response);
        Assert.Equal([400], exchange.Statuses);
        Assert.Equal(0, await Node.Upstream!.ReceivedAsync(marker));
        Assert.Equal(before + 1, await FrontDoorProbe.ViolationsAsync(Node, reason));
        await FrontDoorProbe.AssertEventAsync(Node, "", reason);
    }
}
