using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Palisade.Detection.Points;

/// <summary>
/// The points of document members and items, shared across requests: an API receives the same JSON shape
/// again and again, so <c>body.json.customer.email</c> is made once instead of once per request with a string
/// for its key. One slot per hash of (parent point, key), the last one made wins: a shape seen once costs what it
/// did before, and a client sending invented keys only evicts entries. Points are immutable, so a slot's point is
/// right for whoever finds it. Only parents that are themselves shared (a root, or a point from this cache) are
/// worth a slot; a per-request parent would never be found again.
/// </summary>
internal static class PointCache
{
    private const int Slots = 8192;

    private const ulong Multiplier = 0x9E3779B97F4A7C15;

    // Longer keys are rare and not worth keeping.
    private const int MaxKeyBytes = 64;

    private static readonly CachedMember?[] Members = new CachedMember?[Slots];

    private static readonly CachedItem?[] Items = new CachedItem?[Slots];

    private static readonly CachedNamed?[] Named = new CachedNamed?[Slots];

    /// <summary>The member point <paramref name="parent"/>.KEY for a key given as unescaped UTF-8.</summary>
    public static Point Member(Point parent, ReadOnlySpan<byte> utf8Key)
    {
        if (utf8Key.Length > MaxKeyBytes)
        {
            return parent.Key(Encoding.UTF8.GetString(utf8Key));
        }

        ref var slot = ref Members[Hash(parent, utf8Key)];
        var member = Volatile.Read(ref slot);
        if (member is not null && ReferenceEquals(member.Parent, parent) && utf8Key.SequenceEqual(member.Utf8Key))
        {
            return member.Point;
        }

        member = new CachedMember(parent, utf8Key.ToArray(), parent.Key(Encoding.UTF8.GetString(utf8Key)));
        Volatile.Write(ref slot, member);
        return member.Point;
    }

    /// <summary>The member point <paramref name="parent"/>.KEY for a key given as text (parameter and cookie names).</summary>
    public static Point Member(Point parent, ReadOnlySpan<char> key)
    {
        if (key.Length > MaxKeyBytes)
        {
            return parent.Key(key.ToString());
        }

        ref var slot = ref Named[Hash(parent, MemoryMarshal.AsBytes(key))];
        var named = Volatile.Read(ref slot);
        if (named is not null && ReferenceEquals(named.Point.Parent, parent) && key.SequenceEqual(named.Point.Segment))
        {
            return named.Point;
        }

        named = new CachedNamed(parent.Key(key.ToString()));
        Volatile.Write(ref slot, named);
        return named.Point;
    }

    /// <summary>The item point <paramref name="parent"/>.INDEX.</summary>
    public static Point Item(Point parent, int index)
    {
        ref var slot = ref Items[Mix(parent.Identity + (ulong)(uint)index)];
        var item = Volatile.Read(ref slot);
        if (item is not null && ReferenceEquals(item.Parent, parent) && item.Index == index)
        {
            return item.Point;
        }

        item = new CachedItem(parent, index, parent.Index(index));
        Volatile.Write(ref slot, item);
        return item.Point;
    }

    // A slot for (parent, key): eight bytes at a time, multiplied and folded. Keys are at most 64 bytes, and a poor
    // spread only costs evictions, never a wrong point (a slot's parent and key are compared).
    private static int Hash(Point parent, ReadOnlySpan<byte> key)
    {
        var hash = (ulong)parent.Identity;
        while (key.Length >= 8)
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(key)) * Multiplier;
            key = key[8..];
        }

        var tail = 0UL;
        for (var i = 0; i < key.Length; i++)
        {
            tail |= (ulong)key[i] << (8 * i);
        }

        return Mix((hash ^ tail ^ (ulong)key.Length << 59) * Multiplier);
    }

    private static int Mix(ulong hash) => (int)((hash * Multiplier) >> 40) & (Slots - 1);

    private sealed record CachedMember(Point Parent, byte[] Utf8Key, Point Point);

    private sealed record CachedNamed(Point Point);

    private sealed record CachedItem(Point Parent, int Index, Point Point);
}
