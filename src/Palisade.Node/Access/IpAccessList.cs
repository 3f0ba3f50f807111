using System.Buffers.Binary;
using System.Net;

namespace Palisade.Node.Access;

/// <summary>
/// An immutable set of IP list entries, built once and looked up on every request without allocating.
/// <para>
/// Precedence: the longest prefix wins, so a narrow exception inside a broad range works whichever way round it
/// is (an allowed office /28 inside a denied /16, a denied host inside an allowed /8), as in routing tables and
/// nginx's <c>geo</c>. At the same prefix deny beats allow, and both beat gray: listing one network both ways is a
/// conflict the node resolves by failing closed, as a filtering device should, and gray only raises suspicion, so
/// any explicit decision about the same network outranks it. An expired entry is skipped and the next most
/// specific one decides.
/// </para>
/// <para>
/// How: CIDRs are either nested or disjoint, so each family's networks form a forest. Construction sweeps them in
/// address order into non-overlapping ranges, each naming the deepest network that covers it; a lookup is a binary
/// search over those ranges (O(log n)), then a walk up the enclosing networks (at most 33 or 129) to the first
/// entry that has not expired. IPv4-mapped IPv6 addresses are looked up as IPv4.
/// </para>
/// </summary>
public sealed class IpAccessList
{
    private readonly IpListEntry[] _entries;
    private readonly FamilyIndex _v4;
    private readonly FamilyIndex _v6;

    public IpAccessList(IEnumerable<IpListEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _entries = entries.ToArray();
        var v4 = new List<Keyed>();
        var v6 = new List<Keyed>();
        Span<byte> bytes = stackalloc byte[16];
        foreach (var entry in _entries)
        {
            ArgumentNullException.ThrowIfNull(entry);
            var network = entry.Network;
            var prefix = network.PrefixLength;
            network.BaseAddress.TryWriteBytes(bytes, out var written);
            if (written == 4)
            {
                var start = BinaryPrimitives.ReadUInt32BigEndian(bytes);
                var span = prefix == 0 ? uint.MaxValue : (1u << (32 - prefix)) - 1;
                var masked = start & ~span;
                v4.Add(new Keyed(masked, masked + span, prefix, entry));
            }
            else
            {
                var start = BinaryPrimitives.ReadUInt128BigEndian(bytes);
                var span = prefix == 0 ? UInt128.MaxValue : (UInt128.One << (128 - prefix)) - 1;
                var masked = start & ~span;
                v6.Add(new Keyed(masked, masked + span, prefix, entry));
            }
        }

        _v4 = new FamilyIndex(v4);
        _v6 = new FamilyIndex(v6);
    }

    public static IpAccessList Empty { get; } = new([]);

    /// <summary>Every entry, expired ones included, in the order given.</summary>
    public IReadOnlyList<IpListEntry> Entries => _entries;

    public int Count => _entries.Length;

    /// <summary>The most specific entry covering <paramref name="ip"/> that has not expired at <paramref name="now"/>; null when none.</summary>
    public IpListMatch? Find(IPAddress ip, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ip);
        Span<byte> bytes = stackalloc byte[16];
        if (!ip.TryWriteBytes(bytes, out var written))
        {
            return null;
        }

        var ticks = now.UtcTicks;
        if (written == 4)
        {
            return _v4.Find(BinaryPrimitives.ReadUInt32BigEndian(bytes), ticks);
        }

        return ip.IsIPv4MappedToIPv6
            ? _v4.Find(BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]), ticks)
            : _v6.Find(BinaryPrimitives.ReadUInt128BigEndian(bytes), ticks);
    }

    // Deny first, then allow, then gray: the order entries of one network are tried in.
    internal static int Rank(IpListKind kind) => kind switch
    {
        IpListKind.Deny => 0,
        IpListKind.Allow => 1,
        _ => 2,
    };

    private readonly record struct Keyed(UInt128 Start, UInt128 End, int Prefix, IpListEntry Entry);

    private sealed class FamilyIndex
    {
        // Non-overlapping ranges in address order, each with the deepest network covering it.
        private readonly UInt128[] _rangeStarts;
        private readonly UInt128[] _rangeEnds;
        private readonly int[] _rangeNetworks;

        // Per distinct network: its enclosing network (-1 for none) and its entries, best first, in _entries.
        private readonly int[] _parents;
        private readonly int[] _firstEntry;
        private readonly int[] _entryCounts;
        private readonly IpListEntry[] _entries;
        private readonly long[] _expiresTicks;

        public FamilyIndex(List<Keyed> keyed)
        {
            keyed.Sort(static (a, b) =>
            {
                var order = a.Start.CompareTo(b.Start);
                if (order == 0)
                {
                    order = a.Prefix.CompareTo(b.Prefix);
                }

                return order != 0 ? order : Rank(a.Entry.Kind).CompareTo(Rank(b.Entry.Kind));
            });

            _entries = new IpListEntry[keyed.Count];
            _expiresTicks = new long[keyed.Count];
            var starts = new List<UInt128>();
            var ends = new List<UInt128>();
            var first = new List<int>();
            var counts = new List<int>();
            for (var i = 0; i < keyed.Count; i++)
            {
                var k = keyed[i];
                _entries[i] = k.Entry;
                _expiresTicks[i] = k.Entry.Expires?.UtcTicks ?? long.MaxValue;
                if (starts.Count > 0 && starts[^1] == k.Start && ends[^1] == k.End)
                {
                    counts[^1]++;
                    continue;
                }

                starts.Add(k.Start);
                ends.Add(k.End);
                first.Add(i);
                counts.Add(1);
            }

            _firstEntry = first.ToArray();
            _entryCounts = counts.ToArray();
            _parents = new int[starts.Count];

            var rangeStarts = new List<UInt128>();
            var rangeEnds = new List<UInt128>();
            var rangeNetworks = new List<int>();
            var open = new Stack<int>();
            var cursor = UInt128.Zero;
            var cursorValid = true;

            void Close(int network)
            {
                var end = ends[network];
                if (cursorValid && cursor <= end)
                {
                    rangeStarts.Add(cursor);
                    rangeEnds.Add(end);
                    rangeNetworks.Add(network);
                }

                if (end == UInt128.MaxValue)
                {
                    cursorValid = false;
                }
                else if (!cursorValid || end + 1 > cursor)
                {
                    cursor = end + 1;
                    cursorValid = true;
                }
            }

            for (var n = 0; n < starts.Count; n++)
            {
                while (open.Count > 0 && ends[open.Peek()] < starts[n])
                {
                    Close(open.Pop());
                }

                // Networks are nested or disjoint, so whatever is still open contains this one.
                _parents[n] = open.Count > 0 ? open.Peek() : -1;
                if (open.Count > 0 && cursorValid && cursor < starts[n])
                {
                    rangeStarts.Add(cursor);
                    rangeEnds.Add(starts[n] - 1);
                    rangeNetworks.Add(open.Peek());
                }

                open.Push(n);
                cursor = starts[n];
                cursorValid = true;
            }

            while (open.Count > 0)
            {
                Close(open.Pop());
            }

            _rangeStarts = rangeStarts.ToArray();
            _rangeEnds = rangeEnds.ToArray();
            _rangeNetworks = rangeNetworks.ToArray();
        }

        public IpListMatch? Find(UInt128 address, long nowTicks)
        {
            var starts = _rangeStarts;
            int low = 0, high = starts.Length - 1, found = -1;
            while (low <= high)
            {
                var middle = low + ((high - low) >> 1);
                if (starts[middle] <= address)
                {
                    found = middle;
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }

            if (found < 0 || address > _rangeEnds[found])
            {
                return null;
            }

            for (var network = _rangeNetworks[found]; network >= 0; network = _parents[network])
            {
                var end = _firstEntry[network] + _entryCounts[network];
                for (var i = _firstEntry[network]; i < end; i++)
                {
                    if (_expiresTicks[i] > nowTicks)
                    {
                        return new IpListMatch(_entries[i]);
                    }
                }
            }

            return null;
        }
    }
}
