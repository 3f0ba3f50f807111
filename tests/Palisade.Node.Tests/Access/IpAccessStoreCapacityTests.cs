using System.Net;
using Palisade.Node.Access;
using Palisade.Node.Metrics;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Access;

/// <summary>Run-time entries in bulk (a graylisting rate limit adds one per source): they complete and stay bounded.</summary>
public sealed class IpAccessStoreCapacityTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Add_FiftyThousandGraylistedAddresses_AllHeldAndFound()
    {
        using var store = new IpAccessStore([new IpListEntry(IpCidr.Parse("10.0.0.0/8"), IpListKind.Allow)], new ManualTimeProvider(Start), new NodeMetrics("block"));
        for (var i = 0; i < 50_000; i++)
        {
            store.Add(Gray(Address(i), Start.AddMinutes(10)));
        }

        Assert.Equal(50_000, store.RuntimeCount);
        Assert.Equal(0, store.Evictions);
        Assert.Equal(IpListKind.Gray, store.Find(Address(49_999))?.Kind);
        Assert.Equal(IpListKind.Allow, store.Find(IPAddress.Parse("10.255.255.255"))?.Kind);
    }

    [Fact]
    public void Add_PastTheCap_EvictsTheGrayEntriesClosestToExpiryOnly()
    {
        var config = new IpListEntry(IpCidr.Parse("192.0.2.1"), IpListKind.Gray);
        var metrics = new NodeMetrics("block");
        using var store = new IpAccessStore([config], new ManualTimeProvider(Start), metrics);
        var deny = store.Add(new IpListEntry(IpCidr.Parse("192.0.2.2"), IpListKind.Deny, "operator", Start.AddSeconds(1)));
        const int Over = 1_000;
        // Expiring later and later: the first ones added are the closest to expiry.
        for (var i = 0; i < IpAccessStore.MaxRuntimeEntries + Over; i++)
        {
            store.Add(Gray(Address(i), Start.AddSeconds(10 + i)));
        }

        Assert.Equal(IpAccessStore.MaxRuntimeEntries, store.RuntimeCount);
        Assert.Equal(Over + 1, store.Evictions);
        Assert.Null(store.Find(Address(0)));
        // One more than the overflow: the deny entry counts towards the cap, and a gray entry went in its place.
        Assert.Null(store.Find(Address(Over)));
        Assert.Equal(IpListKind.Gray, store.Find(Address(Over + 1))?.Kind);
        Assert.Equal(IpListKind.Gray, store.Find(Address(IpAccessStore.MaxRuntimeEntries + Over - 1))?.Kind);
        // Neither the operator's deny entry (closer to expiry than any) nor the configuration's entry went.
        Assert.Same(deny, store.Find(IPAddress.Parse("192.0.2.2"))?.Entry);
        Assert.Equal(IpListSource.Config, store.Find(IPAddress.Parse("192.0.2.1"))?.Entry?.Source);
    }

    [Fact]
    public void Add_SmallCapWithPermanentGrayEntries_EvictsThoseWithAnExpiryFirst()
    {
        using var store = new IpAccessStore([], new ManualTimeProvider(Start), null, null, null, maxRuntimeEntries: 3);
        store.Add(Gray(Address(1), null));
        store.Add(Gray(Address(2), Start.AddHours(2)));
        store.Add(Gray(Address(3), Start.AddHours(1)));
        store.Add(Gray(Address(4), null));
        store.Add(Gray(Address(5), Start.AddHours(3)));

        Assert.Equal(3, store.RuntimeCount);
        Assert.Equal([Address(1), Address(4), Address(5)], store.Entries.Select(e => e.Network.BaseAddress).OrderBy(a => a.ToString(), StringComparer.Ordinal));
    }

    private static IpListEntry Gray(IPAddress address, DateTimeOffset? expires) =>
        new(new IPNetwork(address, 32), IpListKind.Gray, "rate-limit login", expires, IpListSource.Api);

    private static IPAddress Address(int i) => new([100, (byte)(i >> 16), (byte)(i >> 8), (byte)i]);
}
