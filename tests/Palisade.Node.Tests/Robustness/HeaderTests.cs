using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Robustness;

/// <summary>ROBUSTNESS.md B.2: headers and request semantics.</summary>
public sealed class HeaderTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private NodeUnderTest Node => fixture.Node;

    [Theory]
    [InlineData("Host: a\r\nHost: b\r\n", "duplicate_host")]
    [InlineData("Host: a\r\nHost: a\r\n", "duplicate_host")]
    [InlineData("Host: user@a\r\n", "bad_host")]
    [InlineData("Host: a/admin\r\n", "bad_host")]
    [InlineData("Host: a b\r\n", "bad_host")]
    [InlineData("", "missing_host")]
    public async Task H01_DuplicateMissingOrInvalidHost_IsRejected(string hostFields, string reason)
    {
        var marker = FrontDoorProbe.Marker("H01");
        await FrontDoorProbe.AssertRejectedAsync(Node, marker, $"GET /{marker} HTTP/1.1\r\n{hostFields}\r\n", 400, reason);
    }

    [Fact]
    public async Task H01_AbsoluteFormTargetForAnotherHost_IsRejected()
    {
        var marker = FrontDoorProbe.Marker("H01");
        await FrontDoorProbe.AssertRejectedAsync(Node, marker, $"GET http://internal.example/{marker} HTTP/1.1\r\nHost: public.example\r\n\r\n", 400, "host_mismatch");
    }

    [Fact]
    public async Task H01_AbsoluteFormTargetForItsOwnHost_IsForwardedInOriginForm()
    {
        var marker = FrontDoorProbe.Marker("H01");
        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, $"GET http://Shop.Example:80/{marker}?q=1 HTTP/1.1\r\nHost: shop.example:80\r\nConnection: close\r\n\r\n");

        Assert.Equal([200], exchange.Statuses);
        Assert.Equal($"/{marker}?q=1", Recorded.FromRawResponse(exchange.Response).Target);
    }

    [Theory]
    [InlineData("Content_Length: 5")]
    [InlineData("Transfer_Encoding: chunked")]
    [InlineData("Content_Type: application/json")]
    [InlineData("X_Forwarded_For: 10.0.0.1")]
    [InlineData("x_forwarded_proto: https")]
    public async Task H02_UnderscoreTwinsOfFramingOrForwardingHeaders_AreRejected(string field)
    {
        var marker = FrontDoorProbe.Marker("H02");
        await FrontDoorProbe.AssertRejectedAsync(Node, marker, $"POST /{marker} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n{field}\r\n\r\nhello", 400, "underscore_in_framing_header");
    }

    [Fact]
    public async Task H02_MixedCaseFramingHeaders_AreMatchedCaseInsensitively()
    {
        var marker = FrontDoorProbe.Marker("H02");
        var attack = await RawExchange.SendAsync(Node.Node.ProxyAddress, $"POST /{marker} HTTP/1.1\r\nhOsT: x\r\ncOnTeNt-TyPe: application/json\r\ntRaNsFeR-eNcOdInG: cHuNkEd\r\nConnection: close\r\n\r\n19\r\n{{\"q\":\"1' or '1'='1' -- \"}}\r\n0\r\n\r\n");
        var underscoreOther = await RawExchange.SendAsync(Node.Node.ProxyAddress, $"GET /{marker} HTTP/1.1\r\nHost: x\r\nX_Custom_Header: ok\r\nConnection: close\r\n\r\n");

        Assert.True(attack.Statuses is [403], attack.Response);
        Assert.Equal([200], underscoreOther.Statuses);
        Assert.Equal(["ok"], Recorded.FromRawResponse(underscoreOther.Response).Values("X_Custom_Header"));
    }

    [Fact]
    public async Task H03_TwoContentTypes_AreRejected()
    {
        var marker = FrontDoorProbe.Marker("H03");
        var request = $"POST /{marker} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{{}}";

        await FrontDoorProbe.AssertRejectedAsync(Node, marker, request, 400, "duplicate_content_type");
    }

    [Fact]
    public async Task H04_ConnectionNamingTheNodesOwnHeaders_CannotStripThem()
    {
        var marker = FrontDoorProbe.Marker("H04");
        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, $"GET /{marker} HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 6.6.6.6\r\nConnection: close, X-Forwarded-For, X-Request-Id, X-Forwarded-Proto\r\n\r\n");

        Assert.Equal([200], exchange.Statuses);
        var recorded = Recorded.FromRawResponse(exchange.Response);
        Assert.Equal(["127.0.0.1"], recorded.Values("X-Forwarded-For"));
        Assert.Equal(["http"], recorded.Values("X-Forwarded-Proto"));
        Assert.Single(recorded.Values("X-Request-Id"));
    }

    [Fact]
    public async Task H06_ParameterPollution_SplitPayloadIsInspectedInTheCommaJoinedForm()
    {
        var marker = FrontDoorProbe.Marker("H06");
        using var split = await Node.Client.GetAsync(new Uri($"/{marker}?id=1/*&id=*/union/*&id=*/select/*&id=*/password/*&id=*/from/*&id=*/users", UriKind.Relative));
        using var each = await Node.Client.GetAsync(new Uri($"/{marker}?id=1&id=2&tags[]=a&tags[]=b&a[0]=x", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, split.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, each.StatusCode);
    }

    [Fact]
    public async Task H07_TooManyHeaders_Answers431()
    {
        var marker = FrontDoorProbe.Marker("H07");
        var fields = string.Concat(Enumerable.Range(0, 101).Select(i => $"X-H{i}: v\r\n"));

        await FrontDoorProbe.AssertRejectedAsync(Node, marker, $"GET /{marker} HTTP/1.1\r\nHost: x\r\n{fields}\r\n", 431, "too_many_headers");
    }

    [Fact]
    public async Task H07_A40KiBCookie_Answers431()
    {
        var marker = FrontDoorProbe.Marker("H07");
        await FrontDoorProbe.AssertRejectedAsync(Node, marker, $"GET /{marker} HTTP/1.1\r\nHost: x\r\nCookie: a={new string('b', 40 * 1024)}\r\n\r\n", 431, "headers_too_large");
    }

    [Fact]
    public async Task H07_ThousandsOfCookiePairsWithinTheLimit_AreParsedAndInspected()
    {
        var marker = FrontDoorProbe.Marker("H07");
        var pairs = string.Join("; ", Enumerable.Range(0, 2_500).Select(i => $"c{i}=v"));
        var malformed = "=; ==; =x; a==b; ;;; " + pairs;

        var clean = await RawExchange.SendAsync(Node.Node.ProxyAddress, $"GET /{marker} HTTP/1.1\r\nHost: x\r\nCookie: {malformed}\r\nConnection: close\r\n\r\n");
        var attack = await RawExchange.SendAsync(Node.Node.ProxyAddress, $"GET /{marker} HTTP/1.1\r\nHost: x\r\nCookie: {pairs}; sid=1' union select password from users--\r\nConnection: close\r\n\r\n");

        Assert.Equal([200], clean.Statuses);
        Assert.Equal([403], attack.Statuses);
    }

    [Theory]
    [InlineData("\x00")]
    [InlineData("\x7f")]
    [InlineData("\x01")]
    [InlineData("\x1b")]
    public async Task H07_ControlCharactersInAHeaderValue_AreRejected(string control)
    {
        var marker = FrontDoorProbe.Marker("H07");
        await FrontDoorProbe.AssertRejectedAsync(Node, marker, $"GET /{marker} HTTP/1.1\r\nHost: x\r\nX-Note: a{control}b\r\n\r\n", 400, "control_character_in_header");
    }

    [Theory]
    [InlineData("caf\xe9")]
    [InlineData("\x80\xff")]
    [InlineData("\xc3\xa9t\xc3\xa9=1")]
    public async Task H07_ObsTextInAHeaderValue_ReachesTheApplicationByteForByte(string value)
    {
        // Real browsers send raw UTF-8 in cookies: legal obs-text, passed as the bytes it is.
        var marker = FrontDoorProbe.Marker("H07");
        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, $"GET /{marker} HTTP/1.1\r\nHost: x\r\nCookie: {value}\r\nX-Name: {value}\r\nConnection: close\r\n\r\n");

        Assert.Equal([200], exchange.Statuses);
        var recorded = Recorded.FromRawResponse(exchange.Response);
        Assert.Equal([value], recorded.Values("X-Name"));
        Assert.Equal([value], recorded.Values("Cookie"));
    }

    [Fact]
    public async Task H08_ManyRanges_PassToTheApplication()
    {
        var marker = FrontDoorProbe.Marker("H08");
        var ranges = string.Join(',', Enumerable.Range(0, 10).Select(i => $"{i}-{i}"));
        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, $"GET /{marker} HTTP/1.1\r\nHost: x\r\nRange: bytes={ranges}\r\nRequest-Range: bytes=0-0\r\nConnection: close\r\n\r\n");

        Assert.Equal([200], exchange.Statuses);
        Assert.Equal(["bytes=" + ranges], Recorded.FromRawResponse(exchange.Response).Values("Range"));
    }
}
