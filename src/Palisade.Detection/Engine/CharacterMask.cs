using System.Runtime.CompilerServices;

namespace Palisade.Detection.Engine;

/// <summary>
/// Which characters a text holds: a bit per ASCII character and one for anything beyond. The engine computes it
/// once per value and skips the detectors whose required characters it does not hold (<see cref="DetectorSet"/>).
/// </summary>
internal readonly record struct CharacterMask(ulong Low, ulong High, bool NonAscii)
{
    /// <summary>Intersects every mask but the empty one: a detector that may match any value.</summary>
    public static CharacterMask Any { get; } = new(ulong.MaxValue, ulong.MaxValue, true);

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
}
