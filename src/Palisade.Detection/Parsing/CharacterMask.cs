using System.Buffers;
using System.Runtime.CompilerServices;

namespace Palisade.Detection.Parsing;

/// <summary>
/// Which characters a text holds: a bit per ASCII character and one for anything beyond. The engine computes it
/// once per value; it skips the detectors whose required characters the value lacks (<c>DetectorSet</c>) and hands
/// it to the others in <see cref="ValueOrigin.Characters"/>, so that their screens are bit tests instead of searches.
/// </summary>
/// <remarks>
/// The default mask is unknown, not empty: no detector is asked about an empty value, so a computed mask always
/// has a bit. Every question asked of a mask that may be unknown (<see cref="Contains(ReadOnlySpan{char}, char)"/>,
/// <see cref="ContainsAny"/>) therefore takes the text as well, and searches it when the mask cannot answer.
/// </remarks>
internal readonly record struct CharacterMask(ulong Low, ulong High, bool NonAscii)
{
    /// <summary>Intersects every mask but the empty one: a detector that may match any value.</summary>
    public static CharacterMask Any { get; } = new(ulong.MaxValue, ulong.MaxValue, true);

    /// <summary>False for the default mask: nobody computed it.</summary>
    public bool IsKnown => (Low | High) != 0 || NonAscii;

    public static CharacterMask Of(ReadOnlySpan<char> text)
    {
        ulong low = 0, high = 0;
        var nonAscii = false;
        foreach (var c in text)
        {
            if (c < 128)
            {
                // Which half the bit goes to without a branch: text mixes letters and punctuation, and the
                // mispredicted branch cost more than the loop.
                var bit = 1UL << c;
                var lowHalf = (ulong)(c >> 6) - 1;
                low |= bit & lowHalf;
                high |= bit & ~lowHalf;
            }
            else
            {
                nonAscii = true;
            }
        }

        return new CharacterMask(low, high, nonAscii);
    }

    /// <summary>True when the text holds the ASCII character <paramref name="c"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Has(char c) => c < 64 ? (Low & (1UL << c)) != 0 : c < 128 && (High & (1UL << (c - 64))) != 0;

    /// <summary>True when the text holds an ASCII character of <paramref name="set"/> (its non-ASCII bit is not compared).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool HasAnyAscii(in CharacterMask set) => ((Low & set.Low) | (High & set.High)) != 0;

    /// <summary>True when every character of the text is an ASCII character of <paramref name="set"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsWithin(in CharacterMask set) => !NonAscii && (Low & ~set.Low) == 0 && (High & ~set.High) == 0;

    /// <summary>Whether <paramref name="text"/>, which this mask describes or is unknown for, holds <paramref name="c"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Contains(ReadOnlySpan<char> text, char c) => IsKnown && c < 128 ? Has(c) : text.Contains(c);

    /// <summary>
    /// Whether <paramref name="text"/>, which this mask describes or is unknown for, holds a character of
    /// <paramref name="set"/>, whose mask is <paramref name="setMask"/>. The mask answers for the ASCII characters;
    /// only a set and a text that both have characters beyond ASCII still need the search.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ContainsAny(ReadOnlySpan<char> text, in CharacterMask setMask, SearchValues<char> set) =>
        IsKnown ? HasAnyAscii(setMask) || (setMask.NonAscii && NonAscii && text.ContainsAny(set)) : text.ContainsAny(set);
}
