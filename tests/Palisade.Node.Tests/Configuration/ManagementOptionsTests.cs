using System.Net;
using Palisade.Node.Configuration;

namespace Palisade.Node.Tests.Configuration;

public sealed class ManagementOptionsTests
{
    [Fact]
    public void Load_Defaults_ManagementOnLoopbackWithoutToken()
    {
        var options = NodeOptionsLoader.Load(new NodeConfigurationSources());
        Assert.Equal(new ListenAddress(IPAddress.Loopback, 9902), options.ManagementListen);
        Assert.Null(options.AdminToken);
    }

    [Theory]
    [InlineData("0.0.0.0:9902")]
    [InlineData("192.0.2.1:9902")]
    [InlineData("[::]:9902")]
    public void Load_ManagementOffLoopbackWithoutToken_Fails(string listen)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(("management-listen", listen)));
        Assert.Equal("management-listen", error.Key);
        Assert.Contains("admin-token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ManagementOffLoopbackWithToken_Accepted() =>
        Assert.Equal("0123456789abcdef", Load(("management-listen", "0.0.0.0:9902"), ("admin-token", "0123456789abcdef")).AdminToken);

    [Fact]
    public void Load_ManagementOnLoopbackIPv6_NeedsNoToken() =>
        Assert.Equal(IPAddress.IPv6Loopback, Load(("management-listen", "[::1]:9902")).ManagementListen.Address);

    [Theory]
    [InlineData("127.0.0.1:9901")]
    [InlineData("127.0.0.1:80")]
    public void Load_ManagementPortOfAnotherListener_Fails(string listen) =>
        Assert.Equal("management-listen", Assert.Throws<ConfigurationException>(() => Load(("management-listen", listen))).Key);

    [Theory]
    [InlineData("short")]
    [InlineData("has a space in it, long enough")]
    public void Load_BadAdminToken_Fails(string token) =>
        Assert.Equal("admin-token", Assert.Throws<ConfigurationException>(() => Load(("admin-token", token))).Key);

    private static NodeOptions Load(params (string Key, string Value)[] flags) =>
        NodeOptionsLoader.Load(new NodeConfigurationSources
        {
            Flags = flags.Select(f => new ConfigurationValue(f.Key, [f.Value], "--" + f.Key)).ToList(),
        });
}
