namespace Palisade.Detection.Engine;

/// <summary>
/// Which characters a text holds: a bit per ASCII character and one for anything beyond. The engine computes it
/// once per value and skips the detectors whose required characters it does not intersect.
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
            if (c < 64)
            {
                low |= 1UL << c;
            }
            else if (c < 128)
            {
                high |= 1UL << (c - 64);
            }
            else
            {
                nonAscii = true;
            }
        }

        return new CharacterMask(low, high, nonAscii);
    }

    /// <summary>True when the text holds the ASCII character <paramref name="c"/>.</summary>
    public bool Has(char c) => c < 64 ? (Low & (1UL << c)) != 0 : c < 128 && (High & (1UL << (c - 64))) != 0;

    public bool Intersects(in CharacterMask other) =>
        (Low & other.Low) != 0 || (High & other.High) != 0 || (NonAscii && other.NonAscii);
}
