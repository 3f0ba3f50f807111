using System.Net;
using Microsoft.Extensions.Primitives;
using Palisade.Node.Proxy;

namespace Palisade.Node.Tests.Proxy;

public class ClientAddressResolverTests
{
    private static readonly ClientAddressResolver Untrusting = new(new IpNetworkList([]));
    private static readonly ClientAddressResolver Trusting = new(new IpNetworkList([IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("::1/128")]));

    [Fact]
    public void H05_Resolve_UntrustedPeer_IgnoresAndReplacesItsClaims()
    {
        var client = Untrusting.Resolve(IPAddress.Parse("198.51.100.1"), "1.2.3.4", "https", https: false);
        Assert.Equal(IPAddress.Parse("198.51.100.1"), client.Ip);
        Assert.Equal("198.51.100.1", client.ForwardedFor);
        Assert.Equal("http", client.Proto);
    }

    [Fact]
    public void Resolve_TrustedPeer_ClientIsLastUntrustedHopAndChainIsExtended()
    {
        var client = Trusting.Resolve(IPAddress.Parse("10.0.0.5"), "6.6.6.6, 203.0.113.7, 10.1.1.1", "https", https: false);
        Assert.Equal(IPAddress.Parse("203.0.113.7"), client.Ip);
        Assert.Equal("6.6.6.6, 203.0.113.7, 10.1.1.1, 10.0.0.5", client.ForwardedFor);
        Assert.Equal("https", client.Proto);
    }

    [Fact]
    public void Resolve_TrustedPeerWithRepeatedHeaders_JoinsThem()
    {
        var client = Trusting.Resolve(IPAddress.Parse("10.0.0.5"), new StringValues(["203.0.113.7", "10.2.2.2"]), StringValues.Empty, https: true);
        Assert.Equal(IPAddress.Parse("203.0.113.7"), client.Ip);
        Assert.Equal("203.0.113.7, 10.2.2.2, 10.0.0.5", client.ForwardedFor);
        Assert.Equal("https", client.Proto);
    }

    [Theory]
    [InlineData("203.0.113.7:4711", "203.0.113.7")]
    [InlineData("[2001:db8::1]:443", "2001:db8::1")]
    [InlineData("2001:db8::2", "2001:db8::2")]
    public void Resolve_HopsWithPorts_AreParsed(string hop, string expected) =>
        Assert.Equal(IPAddress.Parse(expected), Trusting.Resolve(IPAddress.Parse("10.0.0.5"), hop, StringValues.Empty, false).Ip);

    [Fact]
    public void Resolve_GarbageHop_StopsAtIt()
    {
        var client = Trusting.Resolve(IPAddress.Parse("10.0.0.5"), "203.0.113.7, not-an-ip, 10.1.1.1", StringValues.Empty, false);
        Assert.Equal(IPAddress.Parse("10.1.1.1"), client.Ip);
    }

    [Fact]
    public void Resolve_IPv4MappedPeer_IsMatchedAsIPv4()
    {
        var client = Trusting.Resolve(IPAddress.Parse("::ffff:10.0.0.5"), "203.0.113.7", "ftp", false);
        Assert.Equal(IPAddress.Parse("203.0.113.7"), client.Ip);
        Assert.Equal("http", client.Proto);
    }
}
