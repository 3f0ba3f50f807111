using System.Net;
using Palisade.Node.Access;

namespace Palisade.Node.Tests.Access;

public sealed class IpAccessListTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Find_NoEntries_ReturnsNull() =>
        Assert.Null(IpAccessList.Empty.Find(IPAddress.Parse("10.1.2.3"), Now));

    [Theory]
    [InlineData("10.1.3.3", "deny", 8)]
    [InlineData("10.1.2.200", "allow", 24)]
    [InlineData("10.1.2.77", "gray", 32)]
    [InlineData("11.0.0.1", null, 0)]
    public void Find_NestedNetworks_LongestPrefixWins(string address, string? list, int prefix)
    {
        var acl = List(("10.0.0.0/8", IpListKind.Deny), ("10.1.2.0/24", IpListKind.Allow), ("10.1.2.77/32", IpListKind.Gray));
        var match = acl.Find(IPAddress.Parse(address), Now);
        Assert.Equal(list, match?.Kind.ToName());
        if (match is { } m)
        {
            Assert.Equal(prefix, m.Network?.PrefixLength);
        }
    }

    [Theory]
    [InlineData(IpListKind.Allow, IpListKind.Deny, IpListKind.Deny)]
    [InlineData(IpListKind.Gray, IpListKind.Deny, IpListKind.Deny)]
    [InlineData(IpListKind.Gray, IpListKind.Allow, IpListKind.Allow)]
    [InlineData(IpListKind.Deny, IpListKind.Gray, IpListKind.Deny)]
    public void Find_SameNetworkOnTwoLists_DenyBeatsAllowBeatsGray(IpListKind first, IpListKind second, IpListKind expected)
    {
        var acl = List(("192.0.2.0/24", first), ("192.0.2.0/24", second));
        Assert.Equal(expected, acl.Find(IPAddress.Parse("192.0.2.9"), Now)?.Kind);
    }

    [Fact]
    public void Find_IPv6_LongestPrefixAndFamiliesKeptApart()
    {
        var acl = List(("2001:db8::/32", IpListKind.Gray), ("2001:db8:1::/48", IpListKind.Deny), ("0.0.0.0/0", IpListKind.Allow));
        Assert.Equal(IpListKind.Deny, acl.Find(IPAddress.Parse("2001:db8:1::5"), Now)?.Kind);
        Assert.Equal(IpListKind.Gray, acl.Find(IPAddress.Parse("2001:db8:2::5"), Now)?.Kind);
        Assert.Null(acl.Find(IPAddress.Parse("2001:db9::1"), Now));
        Assert.Equal(IpListKind.Allow, acl.Find(IPAddress.Parse("203.0.113.1"), Now)?.Kind);
    }

    [Fact]
    public void Find_WholeAddressSpaces_EdgesMatch()
    {
        var acl = List(("::/0", IpListKind.Gray), ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", IpListKind.Deny), ("255.255.255.255/32", IpListKind.Deny), ("0.0.0.0/32", IpListKind.Allow));
        Assert.Equal(IpListKind.Deny, acl.Find(IPAddress.Parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), Now)?.Kind);
        Assert.Equal(IpListKind.Gray, acl.Find(IPAddress.Parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"), Now)?.Kind);
        Assert.Equal(IpListKind.Gray, acl.Find(IPAddress.IPv6Any, Now)?.Kind);
        Assert.Equal(IpListKind.Deny, acl.Find(IPAddress.Broadcast, Now)?.Kind);
        Assert.Equal(IpListKind.Allow, acl.Find(IPAddress.Any, Now)?.Kind);
        Assert.Null(acl.Find(IPAddress.Parse("255.255.255.254"), Now));
    }

    [Fact]
    public void Find_IPv4MappedAddress_MatchesIPv4Entry()
    {
        var acl = List(("198.51.100.0/24", IpListKind.Deny));
        Assert.Equal(IpListKind.Deny, acl.Find(IPAddress.Parse("::ffff:198.51.100.7"), Now)?.Kind);
        Assert.Null(acl.Find(IPAddress.Parse("::ffff:198.51.101.7"), Now));
    }

    [Fact]
    public void Find_MostSpecificEntryExpired_NextMostSpecificDecides()
    {
        var acl = new IpAccessList(
        [
            new IpListEntry(IpCidr.Parse("10.0.0.0/8"), IpListKind.Gray),
            new IpListEntry(IpCidr.Parse("10.9.0.0/16"), IpListKind.Deny, Expires: Now.AddMinutes(1)),
            new IpListEntry(IpCidr.Parse("10.9.9.9"), IpListKind.Allow, Expires: Now),
        ]);
        var address = IPAddress.Parse("10.9.9.9");
        Assert.Equal(IpListKind.Deny, acl.Find(address, Now)?.Kind);
        Assert.Equal(IpListKind.Allow, acl.Find(address, Now.AddSeconds(-1))?.Kind);
        Assert.Equal(IpListKind.Gray, acl.Find(address, Now.AddMinutes(1))?.Kind);
    }

    [Fact]
    public void Find_SameNetworkDenyExpired_AllowDecides()
    {
        var acl = new IpAccessList(
        [
            new IpListEntry(IpCidr.Parse("10.0.0.0/8"), IpListKind.Deny, Expires: Now),
            new IpListEntry(IpCidr.Parse("10.0.0.0/8"), IpListKind.Allow),
        ]);
        Assert.Equal(IpListKind.Allow, acl.Find(IPAddress.Parse("10.0.0.1"), Now)?.Kind);
    }

    [Fact]
    public void Find_TenThousandRandomIPv4Cidrs_AgreesWithLinearScan()
    {
        var random = new Random(20261128);
        var entries = new List<IpListEntry>();
        for (var i = 0; i < 10_000; i++)
        {
            // Crowded into 10.0.0.0/12 so that networks nest and overlap often.
            var address = new IPAddress(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(0x0A000000u | (uint)random.Next(1 << 20))));
            var prefix = random.Next(12, 33);
            DateTimeOffset? expires = random.Next(5) == 0 ? Now.AddSeconds(random.Next(-100, 100)) : null;
            entries.Add(new IpListEntry(new IPNetwork(IpCidr.Mask(address, prefix), prefix), (IpListKind)random.Next(3), Expires: expires));
        }

        var acl = new IpAccessList(entries);
        var matched = 0;
        for (var i = 0; i < 5_000; i++)
        {
            var address = new IPAddress(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(0x0A000000u | (uint)random.Next(1 << 21))));
            var expected = LinearScan(entries, address, Now);
            var actual = acl.Find(address, Now);
            Assert.Equal(expected?.Network, actual?.Network);
            Assert.Equal(expected?.Kind, actual?.Kind);
            matched += actual is null ? 0 : 1;
        }

        Assert.InRange(matched, 1_000, 4_999);
    }

    [Fact]
    public void Find_RandomIPv6Cidrs_AgreesWithLinearScan()
    {
        var random = new Random(6);
        var entries = new List<IpListEntry>();
        for (var i = 0; i < 3_000; i++)
        {
            var prefix = random.Next(16, 129);
            entries.Add(new IpListEntry(new IPNetwork(IpCidr.Mask(RandomV6(random), prefix), prefix), (IpListKind)random.Next(3)));
        }

        var acl = new IpAccessList(entries);
        for (var i = 0; i < 3_000; i++)
        {
            var address = i % 3 == 0 ? entries[random.Next(entries.Count)].Network.BaseAddress : RandomV6(random);
            var expected = LinearScan(entries, address, Now);
            var actual = acl.Find(address, Now);
            Assert.Equal(expected?.Network, actual?.Network);
            Assert.Equal(expected?.Kind, actual?.Kind);
        }
    }

    [Fact]
    public void Find_ManyLookups_AllocatesNothing()
    {
        var acl = List(("10.0.0.0/8", IpListKind.Deny), ("10.1.0.0/16", IpListKind.Allow), ("2001:db8::/32", IpListKind.Gray));
        IPAddress[] addresses = [IPAddress.Parse("10.1.2.3"), IPAddress.Parse("::ffff:10.9.9.9"), IPAddress.Parse("2001:db8::1"), IPAddress.Parse("8.8.8.8")];
        acl.Find(addresses[0], Now);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var found = 0;
        for (var i = 0; i < 10_000; i++)
        {
            found += acl.Find(addresses[i & 3], Now) is null ? 0 : 1;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(7_500, found);
    }

    private static IpAccessList List(params (string Cidr, IpListKind Kind)[] entries) =>
        new(entries.Select(e => new IpListEntry(IpCidr.Parse(e.Cidr), e.Kind)));

    private static IPAddress RandomV6(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        // A narrow first 20 bits so that random networks nest.
        bytes[0] = 0x20;
        bytes[1] = 0x01;
        bytes[2] = (byte)(bytes[2] & 0x0F);
        return new IPAddress(bytes);
    }

    // The reference: every entry checked, the longest prefix kept, ties broken deny, allow, gray.
    private static IpListEntry? LinearScan(List<IpListEntry> entries, IPAddress address, DateTimeOffset now)
    {
        IpListEntry? best = null;
        foreach (var entry in entries)
        {
            if (entry.IsExpired(now) || !entry.Network.Contains(address))
            {
                continue;
            }

            if (best is null || entry.Network.PrefixLength > best.Network.PrefixLength
                || (entry.Network.PrefixLength == best.Network.PrefixLength && Rank(entry.Kind) < Rank(best.Kind)))
            {
                best = entry;
            }
        }

        return best;
    }

    private static int Rank(IpListKind kind) => kind switch
    {
        IpListKind.Deny => 0,
        IpListKind.Allow => 1,
        _ => 2,
    };
}
