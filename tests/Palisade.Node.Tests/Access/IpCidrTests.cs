using System.Net;
using Palisade.Node.Access;

namespace Palisade.Node.Tests.Access;

public sealed class IpCidrTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("10.1.2.3/8", "10.0.0.0/8")]
    [InlineData(" 192.0.2.7 ", "192.0.2.7/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("2001:db8::1/32", "2001:db8::/32")]
    [InlineData("2001:db8::1", "2001:db8::1/128")]
    [InlineData("::ffff:198.51.100.0/120", "198.51.100.0/24")]
    [InlineData("::ffff:198.51.100.9", "198.51.100.9/32")]
    public void TryParse_Valid_Normalised(string text, string expected)
    {
        Assert.True(IpCidr.TryParse(text, out var network, out _));
        Assert.Equal(IPNetwork.Parse(expected), network);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("10")]
    [InlineData("10.1")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/8/8")]
    [InlineData("2001:db8::/129")]
    [InlineData("fe80::1%eth0")]
    [InlineData("256.0.0.0/8")]
    public void TryParse_Invalid_Refused(string text)
    {
        Assert.False(IpCidr.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
