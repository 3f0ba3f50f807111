using System.Text.Json;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Robustness;

/// <summary>
/// ROBUSTNESS.md P01, P02, P08: a virtual patch <c>block /admin</c> fires on every spelling of the path the
/// application would resolve to <c>/admin</c>, and route matching is case-sensitive or not as configured.
/// </summary>
public sealed class RulePathTests
{
    private const string Policy = """
        mode: block
        virtual-patches:
          - name: block-admin
            path: /admin
        """;

    [Theory]
    [InlineData("/a/../admin")]
    [InlineData("/a/%2e%2e/admin")]
    [InlineData("/a/%252e%252e/admin")]
    [InlineData("/%2e%2e%2fadmin")]
    [InlineData("/a/..;/admin")]
    [InlineData("/admin/.")]
    [InlineData("/admin;jsessionid=1")]
    public async Task P01_DotSegmentAndEncodedVariants_FireThePathRule(string path)
    {
        await using var node = await NodeUnderTest.StartFromFileAsync(Policy);

        var finding = await AssertRuleBlocksAsync(node, path, "P01");

        if (path.Contains("%25", StringComparison.Ordinal))
        {
            Assert.Contains("multiple URL encoding", finding.GetProperty("reason").GetString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("//admin")]
    [InlineData("///admin")]
    [InlineData("//admin/users")]
    public async Task P02_LeadingSlashes_AreAPathNotAnAuthority(string path)
    {
        await using var node = await NodeUnderTest.StartFromFileAsync(Policy);

        await AssertRuleBlocksAsync(node, path, "P02");
    }

    [Fact]
    public async Task P02_LeadingSlashesWithAQuery_FireThePathRule()
    {
        await using var node = await NodeUnderTest.StartFromFileAsync(Policy);
        var marker = FrontDoorProbe.Marker("P02");

        var exchange = await RawExchange.SendAsync(node.Node.ProxyAddress, $"GET //admin?x&m={marker} HTTP/1.1\r\nHost: x\r\nX-Request-Id: {marker}\r\nConnection: close\r\n\r\n");

        Assert.Equal([403], exchange.Statuses);
        Assert.Equal(0, await node.Upstream!.ReceivedAsync(marker));
    }

    [Theory]
    [InlineData(true, "/ADMIN", 200)]
    [InlineData(true, "/Admin/x", 200)]
    [InlineData(true, "/admin", 403)]
    [InlineData(false, "/ADMIN", 403)]
    [InlineData(false, "/Admin/x", 403)]
    [InlineData(false, "/admin", 403)]
    public async Task P08_CaseVariants_FollowTheRouteSetting(bool caseSensitive, string path, int expected)
    {
        await using var node = await NodeUnderTest.StartFromFileAsync($"""
            mode: block
            virtual-patches:
              - name: block-admin
                path: /admin
                case-sensitive: {(caseSensitive ? "true" : "false")}
            """);
        var marker = FrontDoorProbe.Marker("P08");

        var exchange = await RawExchange.SendAsync(node.Node.ProxyAddress, $"GET {path}?m={marker} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        Assert.Equal([expected], exchange.Statuses);
        Assert.Equal(expected == 200 ? 1 : 0, await node.Upstream!.ReceivedAsync(marker));
    }

    [Fact]
    public async Task P01_OtherPaths_AreNotCaught()
    {
        await using var node = await NodeUnderTest.StartFromFileAsync(Policy);
        var marker = FrontDoorProbe.Marker("P01");

        var exchange = await RawExchange.SendAsync(node.Node.ProxyAddress, $"GET /administrator/../public/admin-guide?m={marker} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        Assert.Equal([200], exchange.Statuses);
        Assert.Equal(1, await node.Upstream!.ReceivedAsync(marker));
    }

    // Blocked, never forwarded, and the virtual patch is among the findings (whatever else the detectors saw).
    private static async Task<JsonElement> AssertRuleBlocksAsync(NodeUnderTest node, string path, string id)
    {
        var marker = FrontDoorProbe.Marker(id);
        var exchange = await RawExchange.SendAsync(node.Node.ProxyAddress, $"GET {path}?m={marker} HTTP/1.1\r\nHost: x\r\nX-Request-Id: {marker}\r\nConnection: close\r\n\r\n");

        Assert.Equal([403], exchange.Statuses);
        Assert.Equal(0, await node.Upstream!.ReceivedAsync(marker));
        var attack = await node.Events.WaitForAsync(marker);
        return Assert.Single(attack.GetProperty("findings").EnumerateArray(), f => f.GetProperty("detector").GetString() == "rule.block-admin");
    }
}
