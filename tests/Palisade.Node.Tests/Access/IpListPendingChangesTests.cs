using Palisade.Node.Access;

namespace Palisade.Node.Tests.Access;

public sealed class IpListPendingChangesTests
{
    [Fact]
    public void Drain_LatestChangePerNetworkAndList_OnlyOnce()
    {
        var pending = new IpListPendingChanges();
        var network = IpCidr.Parse("192.0.2.0/24");
        var added = new IpListEntry(network, IpListKind.Deny, Source: IpListSource.Api);
        var other = new IpListEntry(IpCidr.Parse("192.0.2.7"), IpListKind.Gray, Source: IpListSource.Api);

        pending.Added(added);
        pending.Added(other);
        pending.Removed(network, IpListKind.Deny);
        pending.Added(new IpListEntry(network, IpListKind.Allow, Source: IpListSource.Api));

        var changes = pending.Drain().ToDictionary(c => c.Key, c => c.Entry);
        Assert.Equal(3, changes.Count);
        Assert.Null(changes[(network, IpListKind.Deny)]);
        Assert.Same(other, changes[(other.Network, IpListKind.Gray)]);
        Assert.Equal(IpListKind.Allow, changes[(network, IpListKind.Allow)]?.Kind);
        Assert.Empty(pending.Drain());
        Assert.Equal(0, pending.Count);
    }
}
