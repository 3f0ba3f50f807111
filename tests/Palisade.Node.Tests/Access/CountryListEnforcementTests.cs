using System.Net;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Access;

/// <summary>Country lists on the request path of a real node; the test database places 127.0.0.0/8 in XX.</summary>
public sealed class CountryListEnforcementTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task CountryDeny_SourceInThatCountry_RefusedWithAnEventNamingTheCountry()
    {
        await using var node = await NodeUnderTest.StartFromFileAsync($"mode: monitoring\ngeoip-database: {Database()}\nip-lists:\n  countries:\n    deny: [XX]\n");

        using var response = await node.Client.GetAsync(new Uri("/catalog", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var denied = await node.Events.WaitForAsync(Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id")));
        Assert.Equal("ip_denied", denied.GetProperty("event").GetString());
        Assert.Equal("country:XX", denied.GetProperty("network").GetString());
        Assert.Equal(0, await node.Upstream!.ReceivedAsync("/catalog"));
        var metrics = await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains("palisade_geoip_database_up 1", metrics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("allow: [127.0.0.1]\n  countries:\n    deny: [XX]", HttpStatusCode.OK)]
    [InlineData("countries:\n    deny: [YY]", HttpStatusCode.OK)]
    [InlineData("countries:\n    allow: [XX]", HttpStatusCode.OK)]
    [InlineData("deny: [127.0.0.1]\n  countries:\n    allow: [XX]", HttpStatusCode.Forbidden)]
    public async Task AddressEntries_DecideBeforeCountries(string lists, HttpStatusCode expected)
    {
        await using var node = await NodeUnderTest.StartFromFileAsync($"mode: block\ngeoip-database: {Database()}\nip-lists:\n  {lists}\n");

        using var response = await node.Client.GetAsync(new Uri("/catalog", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task CountryAllow_AttackFromThatCountry_NotInspected()
    {
        await using var node = await NodeUnderTest.StartFromFileAsync($"mode: block\ngeoip-database: {Database()}\nip-lists:\n  countries:\n    allow: [XX]\n");

        using var response = await node.Client.GetAsync(new Uri("/search?q=%3Cscript%3Ealert(1)%3C/script%3E", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task CountryRules_FollowAReload()
    {
        var database = Database();
        await using var node = await NodeUnderTest.StartFromFileAsync($"mode: block\ngeoip-database: {database}\n");
        using (var before = await node.Client.GetAsync(new Uri("/catalog", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await File.WriteAllTextAsync(node.ConfigFile!, $"mode: block\ngeoip-database: {database}\nip-lists:\n  countries:\n    deny: [XX]\n", TestContext.Current.CancellationToken);
        Assert.True(await node.Node.ReloadAsync());

        using var after = await node.Client.GetAsync(new Uri("/catalog", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, after.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Database_MissingOrCorrupt_NodeServesAndGaugeDown(bool corrupt)
    {
        var path = _directory.File("country.mmdb");
        if (corrupt)
        {
            await File.WriteAllTextAsync(path, "not a MaxMind DB file", TestContext.Current.CancellationToken);
        }

        await using var node = await NodeUnderTest.StartFromFileAsync($"mode: block\ngeoip-database: {path}\nip-lists:\n  countries:\n    deny: [XX]\n");

        using var response = await node.Client.GetAsync(new Uri("/catalog", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var metrics = await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains("palisade_geoip_database_up 0", metrics, StringComparison.Ordinal);
    }

    public void Dispose() => _directory.Dispose();

    private string Database() => new MmdbWriter()
        .Add("127.0.0.0/8", "XX")
        .Add("192.0.2.0/24", "YY")
        .WriteTo(_directory.File($"{Guid.NewGuid():N}.mmdb"));
}
