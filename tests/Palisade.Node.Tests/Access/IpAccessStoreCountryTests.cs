using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Node.Access;
using Palisade.Node.Access.GeoIp;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Access;

/// <summary>Country rules in the store: they decide only where no address entry of any list does, and follow reloads.</summary>
public sealed class IpAccessStoreCountryTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress Office = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress Elsewhere = IPAddress.Parse("192.0.2.99");

    private readonly TempDirectory _directory = new();

    [Fact]
    public void Find_CountryOnDenyList_CountryMatchNamedCountryXX()
    {
        using var store = Store([], [new("XX", IpListKind.Deny)]);

        var match = store.Find(Elsewhere);

        Assert.Equal(IpListKind.Deny, match?.Kind);
        Assert.Equal("XX", match?.Country);
        Assert.Null(match?.Entry);
        Assert.Equal("country:XX", match?.Describe());
    }

    [Theory]
    [InlineData(IpListKind.Allow)]
    [InlineData(IpListKind.Gray)]
    [InlineData(IpListKind.Deny)]
    public void Find_AddressEntryOfAnyList_DecidesBeforeTheCountry(IpListKind addressList)
    {
        var countryList = addressList == IpListKind.Deny ? IpListKind.Allow : IpListKind.Deny;
        using var store = Store([new IpListEntry(IpCidr.Parse("192.0.2.0/28"), addressList, "office")], [new("XX", countryList)]);

        Assert.Equal(addressList, store.Find(Office)?.Kind);
        Assert.Equal("192.0.2.0/28", store.Find(Office)?.Describe());
        Assert.Equal(countryList, store.Find(Elsewhere)?.Kind);
    }

    [Fact]
    public void Find_CountryNotListed_NoMatch()
    {
        using var store = Store([], [new("YY", IpListKind.Deny)]);

        Assert.Null(store.Find(Elsewhere));
        Assert.Null(store.Find(IPAddress.Parse("10.0.0.1")));
    }

    [Fact]
    public void Find_CountryRulesWithoutDatabase_NoMatch()
    {
        using var store = new IpAccessStore([], new ManualTimeProvider(Start), countryRules: new CountryRules([new("XX", IpListKind.Deny)]));

        Assert.Null(store.Find(Elsewhere));
    }

    [Fact]
    public void Find_ExpiredAddressEntry_CountryDecides()
    {
        var time = new ManualTimeProvider(Start);
        using var store = new IpAccessStore(
            [new IpListEntry(IpCidr.Parse("192.0.2.0/28"), IpListKind.Allow, Expires: Start.AddMinutes(1))],
            time,
            countryRules: new CountryRules([new("XX", IpListKind.Deny)]),
            countryDatabase: Database());

        Assert.Equal(IpListKind.Allow, store.Find(Office)?.Kind);
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(IpListKind.Deny, store.Find(Office)?.Kind);
    }

    [Fact]
    public void ReplaceConfiguration_NewCountryRules_ReplaceTheOldAndKeepApiEntries()
    {
        using var store = Store([], [new("XX", IpListKind.Deny)]);
        store.Add(new IpListEntry(IpCidr.Parse("192.0.2.10/32"), IpListKind.Gray));

        store.ReplaceConfiguration([], new CountryRules([new("XX", IpListKind.Allow)]));

        Assert.Equal(IpListKind.Allow, store.Find(Elsewhere)?.Kind);
        Assert.Equal(IpListKind.Gray, store.Find(Office)?.Kind);
        Assert.Equal("XX", Assert.Single(store.CountryRules.Entries).Country);
    }

    [Fact]
    public void ReplaceConfigEntriesAddAndRemove_KeepCountryRules()
    {
        using var store = Store([], [new("XX", IpListKind.Deny)]);

        store.ReplaceConfigEntries([new IpListEntry(IpCidr.Parse("10.0.0.0/8"), IpListKind.Gray)]);
        store.Add(new IpListEntry(IpCidr.Parse("198.51.100.0/24"), IpListKind.Gray));
        store.Remove(IpCidr.Parse("198.51.100.0/24"), IpListKind.Gray);

        Assert.Equal(IpListKind.Deny, store.Find(Elsewhere)?.Kind);
    }

    public void Dispose() => _directory.Dispose();

    private IpAccessStore Store(IEnumerable<IpListEntry> entries, IEnumerable<CountryListEntry> countries) =>
        new(entries, new ManualTimeProvider(Start), countryRules: new CountryRules(countries), countryDatabase: Database());

    private CountryDatabase Database() => CountryDatabase.Open(
        new MmdbWriter().Add("192.0.2.0/24", "XX").WriteTo(_directory.File($"{Guid.NewGuid():N}.mmdb")),
        NullLogger.Instance);
}
