using System.Net;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Robustness;

/// <summary>ROBUSTNESS.md B.3: the request-target as the node checks it and as the application receives it.</summary>
public sealed class PathTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private NodeUnderTest Node => fixture.Node;

    [Theory]
    [InlineData("/files/a%2Fb")]
    [InlineData("/files/a%5Cb")]
    [InlineData("/a\\b\\c")]
    [InlineData("//double//slashes")]
    [InlineData("/a/./b/../c")]
    [InlineData("/%41%42?x=%2F%2f")]
    public async Task P03_TheRawTarget_ReachesTheApplicationByteIdentical(string path)
    {
        var marker = FrontDoorProbe.Marker("P03");
        var target = $"/{marker}{path}";
        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, $"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        Assert.Equal([200], exchange.Statuses);
        Assert.Equal(target, Recorded.FromRawResponse(exchange.Response).Target);
    }

    [Theory]
    [InlineData("/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd")]
    [InlineData("/static/..%c0%af..%c0%af..%c0%afetc/passwd")]
    [InlineData("/%u002e%u002e/%u002e%u002e/etc/passwd")]
    public async Task P04_OverlongOrNonStandardEncodingsOfDotDot_AreNeverForwarded(string path)
    {
        var marker = FrontDoorProbe.Marker("P04");
        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, $"GET /{marker}{path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        Assert.True(exchange.Statuses is [400] or [403], exchange.Response);
        Assert.Equal(0, await Node.Upstream!.ReceivedAsync(marker));
    }

    [Theory]
    [InlineData("/{0}#fragment", "fragment_in_target")]
    [InlineData("/{0}/bar%", "bad_percent_encoding")]
    [InlineData("/{0}/bar%1", "bad_percent_encoding")]
    [InlineData("/{0}/bar%zz", "bad_percent_encoding")]
    [InlineData("/{0}/\x01", "bad_target")]
    [InlineData("/{0}/caf\xe9", "bad_target")]
    public async Task P05_FragmentsBadEscapesAndRawControlBytes_AreRejected(string template, string reason)
    {
        var marker = FrontDoorProbe.Marker("P05");
        var target = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, marker);
        await FrontDoorProbe.AssertRejectedAsync(Node, marker, $"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n", 400, reason);
    }

    [Fact]
    public async Task P05_ASpaceInTheTarget_IsRejected()
    {
        var marker = FrontDoorProbe.Marker("P05");
        await FrontDoorProbe.AssertRejectedAsync(Node, marker, $"GET /{marker}/ / HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad_version");
    }

    [Theory]
    [InlineData("/{0}/a%00.php")]
    [InlineData("/{0}?file=a%00.jpg")]
    [InlineData("/{0}?file=a.jpg&x=%00")]
    public async Task P06_NulInPathOrQuery_IsRejected(string template)
    {
        var marker = FrontDoorProbe.Marker("P06");
        var target = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, marker);
        await FrontDoorProbe.AssertRejectedAsync(Node, marker, $"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n", 400, "nul_in_target");
    }

    [Theory]
    [InlineData("/{0}/a%0d%0aSet-Cookie:%20x=1")]
    [InlineData("/{0}?next=%0d%0aLocation:%20http://evil.example")]
    [InlineData("/{0}?h=x%0aSet-Cookie:%20admin=1")]
    public async Task P06_CrLfInPathOrQuery_IsBlockedAsHeaderInjection(string template)
    {
        var marker = FrontDoorProbe.Marker("P06");
        var target = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, marker);
        var exchange = await RawExchange.SendAsync(Node.Node.ProxyAddress, $"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        Assert.True(exchange.Statuses is [400] or [403], exchange.Response);
        Assert.Equal(0, await Node.Upstream!.ReceivedAsync(marker));
    }

    [Theory]
    [InlineData(16 * 1024)]
    [InlineData(8193)]
    public async Task P07_AnOverlongRequestLine_Answers414(int targetLength)
    {
        var marker = FrontDoorProbe.Marker("P07");
        var target = $"/{marker}/" + new string('a', targetLength - marker.Length - 2);
        await FrontDoorProbe.AssertRejectedAsync(Node, marker, $"GET {target} HTTP/1.1\r\nHost: x\r\n\r\n", 414, "request_line_too_long");
    }

    [Fact]
    public async Task P07_ARequestLineAtTheLimit_IsServed()
    {
        var marker = FrontDoorProbe.Marker("P07");
        var target = $"/{marker}/" + new string('a', 8192 - "GET  HTTP/1.1".Length - marker.Length - 2);
        using var response = await Node.Client.GetAsync(new Uri(target, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
