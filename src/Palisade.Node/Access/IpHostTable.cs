using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Palisade.Node.Access;

/// <summary>
/// Run-time entries for single addresses (/32, /128: what a graylisting rate limit adds, one per source), in a
/// hash by address: adding, removing and looking one up cost the same with 10 or 100,000 of them, where the
/// sorted ranges of <see cref="IpAccessList"/> are rebuilt on each change. Lookups read without locking and do
/// not allocate; writers are serialised by the owner (<see cref="IpAccessStore"/>) and replace an address's
/// entries (one per list at most, best first) in one step. Addresses are keyed as <see cref="IpAccessList"/>
/// reads them, so an IPv4-mapped IPv6 address finds the IPv4 entry.
/// </summary>
internal sealed class IpHostTable
{
    private readonly ConcurrentDictionary<Key, IpListEntry[]> _slots = new();

    public bool IsEmpty => _slots.IsEmpty;

    public IEnumerable<IpListEntry> Entries => _slots.Values.SelectMany(static slot => slot);

    /// <summary>Whether <paramref name="network"/> is a single address (the longest prefix of its family).</summary>
    public static bool IsHost(IPNetwork network) =>
        network.PrefixLength == (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);

    /// <summary>Adds or replaces the entry for its address and list. Writers only, one at a time.</summary>
    public void Set(IpListEntry entry)
    {
        var key = KeyOf(entry.Network);
        var slot = _slots.TryGetValue(key, out var existing) ? existing : [];
        var replaced = new List<IpListEntry>(slot.Length + 1);
        foreach (var other in slot)
        {
            if (other.Kind != entry.Kind)
            {
                replaced.Add(other);
            }
        }

        replaced.Add(entry);
        replaced.Sort(static (a, b) => IpAccessList.Rank(a.Kind).CompareTo(IpAccessList.Rank(b.Kind)));
        _slots[key] = [.. replaced];
    }

    /// <summary>Removes the entry for the address and list. Writers only, one at a time.</summary>
    public bool Remove(IPNetwork network, IpListKind kind)
    {
        var key = KeyOf(network);
        if (!_slots.TryGetValue(key, out var slot) || Array.FindIndex(slot, e => e.Kind == kind) < 0)
        {
            return false;
        }

        var kept = Array.FindAll(slot, e => e.Kind != kind);
        if (kept.Length == 0)
        {
            _slots.TryRemove(key, out _);
        }
        else
        {
            _slots[key] = kept;
        }

        return true;
    }

    /// <summary>The best entry for <paramref name="ip"/> that has not expired; null when none.</summary>
    public IpListEntry? Find(IPAddress ip, DateTimeOffset now)
    {
        if (_slots.IsEmpty)
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[16];
        if (!ip.TryWriteBytes(bytes, out var written))
        {
            return null;
        }

        var key = written == 4 ? new Key(BinaryPrimitives.ReadUInt32BigEndian(bytes), false)
            : ip.IsIPv4MappedToIPv6 ? new Key(BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]), false)
            : new Key(BinaryPrimitives.ReadUInt128BigEndian(bytes), true);
        if (!_slots.TryGetValue(key, out var slot))
        {
            return null;
        }

        foreach (var entry in slot)
        {
            if (!entry.IsExpired(now))
            {
                return entry;
            }
        }

        return null;
    }

    private static Key KeyOf(IPNetwork network)
    {
        Span<byte> bytes = stackalloc byte[16];
        network.BaseAddress.TryWriteBytes(bytes, out var written);
        return written == 4 ? new Key(BinaryPrimitives.ReadUInt32BigEndian(bytes), false) : new Key(BinaryPrimitives.ReadUInt128BigEndian(bytes), true);
    }

    private readonly record struct Key(UInt128 Address, bool V6);
}
