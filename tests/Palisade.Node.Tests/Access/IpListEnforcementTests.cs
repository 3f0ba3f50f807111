using System.Net;
using System.Text;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Access;

/// <summary>The IP lists on the request path of a real node: deny refuses, allow skips inspection, gray blocks in safe_blocking.</summary>
public sealed class IpListEnforcementTests
{
    private const string Attack = "/search?q=%3Cscript%3Ealert(1)%3C/script%3E";

    [Theory]
    [InlineData("monitoring")]
    [InlineData("safe_blocking")]
    [InlineData("block")]
    public async Task Deny_InEveryModeButOff_RefusesCleanRequests(string mode)
    {
        await using var node = await NodeUnderTest.StartFromFileAsync($$"""
            mode: {{mode}}
            ip-lists:
              deny:
                - { cidr: 127.0.0.0/8, reason: abuse report 4711 }
            """);

        using var response = await node.Client.GetAsync(new Uri("/catalog", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var denied = await node.Events.WaitForAsync(Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id")));
        Assert.Equal("ip_denied", denied.GetProperty("event").GetString());
        Assert.Equal("127.0.0.0/8", denied.GetProperty("network").GetString());
        Assert.Equal("abuse report 4711", denied.GetProperty("reason").GetString());
        Assert.Equal(0, await node.Upstream!.ReceivedAsync("/catalog"));
    }

    [Fact]
    public async Task Deny_ModeOff_IsNotApplied()
    {
        await using var node = await NodeUnderTest.StartFromFileAsync("mode: off\nip-lists:\n  deny: [127.0.0.1]\n");

        using var response = await node.Client.GetAsync(new Uri("/catalog", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Deny_AppliesOnARouteSetToOff()
    {
        // A route set to off skips inspection there; only the whole node set to off turns the deny list off.
        await using var node = await NodeUnderTest.StartFromFileAsync("mode: block\nroutes:\n  - { name: health, path: /health, mode: off }\nip-lists:\n  deny: [127.0.0.1]\n");

        using var response = await node.Client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Allow_SkipsInspection()
    {
        await using var node = await NodeUnderTest.StartFromFileAsync("mode: block\nip-lists:\n  allow: [127.0.0.1]\n");

        using var response = await node.Client.GetAsync(new Uri(Attack, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("gray: [127.0.0.1]", HttpStatusCode.Forbidden)]
    [InlineData("gray: [10.0.0.0/8]", HttpStatusCode.OK)]
    public async Task Gray_InSafeBlocking_BlocksAttacksFromListedSourcesOnly(string list, HttpStatusCode expected)
    {
        await using var node = await NodeUnderTest.StartFromFileAsync($"mode: safe_blocking\nip-lists:\n  {list}\n");

        using var attack = await node.Client.GetAsync(new Uri(Attack, UriKind.Relative));
        using var clean = await node.Client.GetAsync(new Uri("/catalog", UriKind.Relative));

        Assert.Equal(expected, attack.StatusCode);
        Assert.Equal(HttpStatusCode.OK, clean.StatusCode);
    }

    [Fact]
    public async Task Deny_AddedThroughTheManagementApi_AppliesToTheNextRequestAndSurvivesAReload()
    {
        await using var node = await NodeUnderTest.StartFromFileAsync("mode: monitoring\n");
        using var management = new HttpClient { BaseAddress = node.Node.ManagementAddress };

        using (var added = await management.PostAsync(new Uri("/api/ip-lists", UriKind.Relative), new StringContent("""{"list":"deny","cidr":"127.0.0.1","reason":"manual","ttl":"1h"}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        using (var response = await node.Client.GetAsync(new Uri("/catalog", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        await File.WriteAllTextAsync(node.ConfigFile!, "mode: block\n");
        Assert.True(await node.Node.ReloadAsync());
        using var after = await node.Client.GetAsync(new Uri("/catalog", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
    }

    [Fact]
    public async Task ConfigEntries_AreReplacedByAReload()
    {
        await using var node = await NodeUnderTest.StartFromFileAsync("mode: block\nip-lists:\n  deny: [127.0.0.1]\n");

        await File.WriteAllTextAsync(node.ConfigFile!, "mode: block\n");
        Assert.True(await node.Node.ReloadAsync());

        using var response = await node.Client.GetAsync(new Uri("/catalog", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
