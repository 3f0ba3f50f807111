using System.Net;
using Palisade.Node.Access;
using Palisade.Node.Metrics;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Access;

public sealed class IpAccessStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress Scanner = IPAddress.Parse("203.0.113.9");

    [Fact]
    public void Add_ApiEntry_MatchesAndIsMarkedApi()
    {
        using var store = new IpAccessStore([], new ManualTimeProvider(Start));
        var stored = store.Add(new IpListEntry(IpCidr.Parse("203.0.113.0/24"), IpListKind.Deny, "scanner farm"));

        Assert.Equal(IpListSource.Api, stored.Source);
        Assert.Equal(IpListKind.Deny, store.Find(Scanner)?.Kind);
        Assert.Same(stored, Assert.Single(store.Entries));
    }

    [Fact]
    public void Add_SameNetworkAndListTwice_ReplacesTheFirst()
    {
        using var store = new IpAccessStore([], new ManualTimeProvider(Start));
        store.Add(new IpListEntry(IpCidr.Parse("203.0.113.0/24"), IpListKind.Deny, "first"));
        store.Add(new IpListEntry(IpCidr.Parse("203.0.113.0/24"), IpListKind.Deny, "second"));

        Assert.Equal("second", Assert.Single(store.Entries).Reason);
    }

    [Fact]
    public void Remove_ApiEntry_RemovedThenNotFound()
    {
        using var store = new IpAccessStore([], new ManualTimeProvider(Start));
        store.Add(new IpListEntry(IpCidr.Parse("203.0.113.0/24"), IpListKind.Deny));

        Assert.Equal(IpListRemoval.NotFound, store.Remove(IpCidr.Parse("203.0.113.0/24"), IpListKind.Gray));
        Assert.Equal(IpListRemoval.Removed, store.Remove(IpCidr.Parse("203.0.113.0/24"), IpListKind.Deny));
        Assert.Equal(IpListRemoval.NotFound, store.Remove(IpCidr.Parse("203.0.113.0/24"), IpListKind.Deny));
        Assert.Null(store.Find(Scanner));
    }

    [Fact]
    public void Remove_ConfigOnlyEntry_RemovedUntilReload()
    {
        IpListEntry[] config = [new(IpCidr.Parse("203.0.113.0/24"), IpListKind.Gray)];
        using var store = new IpAccessStore(config, new ManualTimeProvider(Start));

        Assert.Equal(IpListRemoval.FromConfiguration, store.Remove(IpCidr.Parse("203.0.113.0/24"), IpListKind.Gray));
        Assert.Null(store.Find(Scanner));
        store.ReplaceConfigEntries(config);
        Assert.Equal(IpListKind.Gray, store.Find(Scanner)?.Kind);
    }

    [Fact]
    public void Remove_ApiEntryForAConfiguredNetwork_LeavesTheConfigurationEntry()
    {
        var network = IpCidr.Parse("203.0.113.0/24");
        using var store = new IpAccessStore([new IpListEntry(network, IpListKind.Deny, "configured")], new ManualTimeProvider(Start));
        store.Add(new IpListEntry(network, IpListKind.Deny, "from the API"));

        Assert.Equal(IpListRemoval.Removed, store.Remove(network, IpListKind.Deny));

        Assert.Equal(IpListKind.Deny, store.Find(Scanner)?.Kind);
        Assert.Equal(IpListSource.Config, Assert.Single(store.Entries).Source);
    }

    [Fact]
    public void ReplaceConfigEntries_Reload_ApiEntriesSurvive()
    {
        using var store = new IpAccessStore([new IpListEntry(IpCidr.Parse("10.0.0.0/8"), IpListKind.Allow)], new ManualTimeProvider(Start));
        store.Add(new IpListEntry(IpCidr.Parse("203.0.113.0/24"), IpListKind.Deny));

        store.ReplaceConfigEntries([new IpListEntry(IpCidr.Parse("192.168.0.0/16"), IpListKind.Gray, Source: IpListSource.Api)]);

        Assert.Null(store.Find(IPAddress.Parse("10.1.1.1")));
        Assert.Equal(IpListKind.Gray, store.Find(IPAddress.Parse("192.168.1.1"))?.Kind);
        Assert.Equal(IpListKind.Deny, store.Find(Scanner)?.Kind);
        Assert.Equal([IpListSource.Config, IpListSource.Api], store.Entries.Select(e => e.Source));
    }

    [Fact]
    public void Find_EntryExpires_StopsMatchingAtOnceAndPruneDropsIt()
    {
        var time = new ManualTimeProvider(Start);
        using var store = new IpAccessStore([], time);
        store.Add(new IpListEntry(IpCidr.Parse("203.0.113.0/24"), IpListKind.Deny, Expires: Start.AddMinutes(10)));
        store.Add(new IpListEntry(IpCidr.Parse("198.51.100.0/24"), IpListKind.Deny));

        time.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(store.Find(Scanner));
        Assert.Equal(2, store.Entries.Count);
        Assert.Equal(1, store.Prune());
        Assert.Equal(IpCidr.Parse("198.51.100.0/24"), Assert.Single(store.Entries).Network);
    }

    [Fact]
    public async Task Find_WhileWritersAddAndRemove_AlwaysSeesAConsistentSnapshot()
    {
        using var store = new IpAccessStore([new IpListEntry(IpCidr.Parse("10.0.0.0/8"), IpListKind.Gray)], TimeProvider.System);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var writer = Task.Run(() =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                var network = new IPNetwork(IPAddress.Parse($"10.{n % 250}.0.0"), 16);
                store.Add(new IpListEntry(network, IpListKind.Deny));
                store.Remove(network, IpListKind.Deny);
                n++;
            }
        });

        var address = IPAddress.Parse("10.3.4.5");
        var lookups = 0;
        while (!stop.IsCancellationRequested)
        {
            Assert.NotNull(store.Find(address));
            lookups++;
        }

        await writer;
        Assert.True(lookups > 0);
        Assert.Equal(IpListKind.Gray, store.Find(address)?.Kind);
    }

    [Fact]
    public async Task Metrics_EntriesAndMatches_CountedByList()
    {
        var metrics = new NodeMetrics("block");
        using var store = new IpAccessStore([new IpListEntry(IpCidr.Parse("10.0.0.0/8"), IpListKind.Gray)], new ManualTimeProvider(Start), metrics);
        store.Add(new IpListEntry(IpCidr.Parse("203.0.113.0/24"), IpListKind.Deny));
        store.Find(Scanner);
        store.Find(Scanner);
        store.Find(IPAddress.Parse("8.8.8.8"));

        using var text = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(text, TestContext.Current.CancellationToken);
        var exported = System.Text.Encoding.UTF8.GetString(text.ToArray());
        Assert.Contains("palisade_ip_list_entries{list=\"deny\"} 1", exported, StringComparison.Ordinal);
        Assert.Contains("palisade_ip_list_entries{list=\"gray\"} 1", exported, StringComparison.Ordinal);
        Assert.Contains("palisade_ip_list_entries{list=\"allow\"} 0", exported, StringComparison.Ordinal);
        Assert.Contains("palisade_ip_list_matches_total{list=\"deny\"} 2", exported, StringComparison.Ordinal);
        Assert.Contains("palisade_ip_list_matches_total{list=\"gray\"} 0", exported, StringComparison.Ordinal);
    }
}
