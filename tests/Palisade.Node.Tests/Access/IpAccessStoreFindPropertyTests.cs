using System.Net;
using Palisade.Node.Access;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Access;

/// <summary>
/// The store's lookup (networks in sorted ranges, single run-time addresses in a hash) decides as a plain scan of
/// every entry would: the longest prefix covering the address, then deny, allow, gray; expired entries skipped.
/// </summary>
public sealed class IpAccessStoreFindPropertyTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly int[] V4Prefixes = [8, 16, 20, 24, 28, 30, 31, 32, 32, 32, 32];
    private static readonly int[] V6Prefixes = [32, 48, 64, 120, 127, 128, 128, 128];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Find_RandomOverlappingEntries_AgreesWithALinearScan(int seed)
    {
        var random = new Random(seed);
        var config = new List<IpListEntry>();
        for (var i = 0; i < 60; i++)
        {
            config.Add(RandomEntry(random, IpListSource.Config));
        }

        using var store = new IpAccessStore(config, new ManualTimeProvider(Start));
        var api = new Dictionary<(IPNetwork, IpListKind), IpListEntry>();
        for (var i = 0; i < 400; i++)
        {
            var entry = store.Add(RandomEntry(random, IpListSource.Api));
            api[(entry.Network, entry.Kind)] = entry;
            if (random.Next(8) == 0)
            {
                var doomed = api.Keys.ElementAt(random.Next(api.Count));
                Assert.Equal(IpListRemoval.Removed, store.Remove(doomed.Item1, doomed.Item2));
                api.Remove(doomed);
            }
        }

        var all = config.Concat(api.Values).ToList();
        var probes = all.Select(e => e.Network.BaseAddress).Concat(Enumerable.Range(0, 3000).Select(_ => RandomAddress(random, random.Next(3) == 0))).ToList();
        foreach (var probe in probes)
        {
            var expected = Scan(all, probe, Start);
            var found = store.Find(probe);
            Assert.True(
                expected?.Kind == found?.Kind && Equals(expected?.Network, found?.Network),
                $"{probe}: expected {expected?.Kind} {expected?.Network}, found {found?.Kind} {found?.Network}");
        }
    }

    private static IpListEntry? Scan(List<IpListEntry> entries, IPAddress address, DateTimeOffset now)
    {
        IpListEntry? best = null;
        foreach (var entry in entries)
        {
            if (entry.IsExpired(now) || !entry.Network.Contains(address))
            {
                continue;
            }

            if (best is null
                || entry.Network.PrefixLength > best.Network.PrefixLength
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

    private static IpListEntry RandomEntry(Random random, IpListSource source)
    {
        var v6 = random.Next(3) == 0;
        var prefix = v6 ? V6Prefixes[random.Next(V6Prefixes.Length)] : V4Prefixes[random.Next(V4Prefixes.Length)];
        var network = new IPNetwork(IpCidr.Mask(RandomAddress(random, v6), prefix), prefix);
        var kind = (IpListKind)random.Next(3);
        DateTimeOffset? expires = random.Next(4) switch
        {
            0 => Start.AddMinutes(-1),
            1 => Start.AddMinutes(5),
            _ => null,
        };
        return new IpListEntry(network, kind, null, expires, source);
    }

    // A small space, so that entries overlap and addresses repeat.
    private static IPAddress RandomAddress(Random random, bool v6)
    {
        if (v6)
        {
            var bytes = new byte[16];
            bytes[0] = 0x20;
            bytes[1] = 0x01;
            bytes[2] = 0x0d;
            bytes[3] = 0xb8;
            bytes[15] = (byte)random.Next(4);
            bytes[14] = (byte)random.Next(2);
            return new IPAddress(bytes);
        }

        return new IPAddress([10, 0, (byte)random.Next(4), (byte)random.Next(16)]);
    }
}
