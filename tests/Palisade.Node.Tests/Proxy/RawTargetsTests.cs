using Palisade.Node.Proxy;

namespace Palisade.Node.Tests.Proxy;

public class RawTargetsTests
{
    [Theory]
    [InlineData("/a%2Fb//c;x?q=%00", "/a%2Fb//c;x?q=%00")]
    [InlineData("http://h/x?y", "/x?y")]
    [InlineData("http://h?y", "/?y")]
    [InlineData("https://h:8443", "/")]
    [InlineData("*", null)]
    [InlineData("h:443", null)]
    public void OriginForm_Target_GivesForwardablePart(string raw, string? expected) =>
        Assert.Equal(expected, RawTargets.OriginForm(raw));

    [Theory]
    [InlineData("/a%2Fb/../%2e%2E//c;p?q=1&q=%41")]
    [InlineData("/%7e?%20+")]
    public void ToUpstreamUri_Target_KeepsEveryByte(string raw) =>
        Assert.Equal(raw, RawTargets.ToUpstreamUri("http://127.0.0.1:8080", raw).PathAndQuery);
}
