using System.Buffers;
using System.Text;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Detectors.Sqli;

/// <summary>Character sets the SQL injection detector searches with vectorised <see cref="SearchValues{T}"/>.</summary>
internal static class SqlCharacters
{
    /// <summary>What separates SQL tokens: every control character, space and no-break space.</summary>
    public static readonly SearchValues<char> Whitespace = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f \u007f\u00a0");

    /// <summary>Characters of a plain form parameter name.</summary>
    public static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.[]");

    /// <summary>
    /// Typographic and full-width quotes that SQL Server's best-fit conversion to a code page (and some
    /// applications' normalization) turn into <c>'</c> or <c>"</c>.
    /// </summary>
    public static readonly SearchValues<char> QuoteLookalikes = SearchValues.Create("\u2018\u2019\u201a\u201b\u2032\u02bc\uff07\u201c\u201d\u201e\u2033\uff02");

    /// <summary>Copies <paramref name="value"/> into <paramref name="folded"/> with every quote look-alike made an ASCII quote.</summary>
    public static void FoldQuotes(ReadOnlySpan<char> value, Span<char> folded)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            folded[i] = c switch
            {
                '\u2018' or '\u2019' or '\u201a' or '\u201b' or '\u2032' or '\u02bc' or '\uff07' => '\'',
                '\u201c' or '\u201d' or '\u201e' or '\u2033' or '\uff02' => '"',
                _ => c,
            };
        }
    }

    /// <summary>
    /// A value needs the grammar only if it holds one of these: whitespace (two tokens), a quote (a break-out),
    /// a parenthesis (a call), a statement separator, a comment opener other than <c>--</c> (which the detector
    /// searches for itself), a variable sigil, or an operator character (<c>1=1</c>, <c>UNION+SELECT</c>,
    /// <c>x::int</c>). Words, numbers, ids, hex and url-safe
    /// tokens, UUIDs and dates have none of them and are settled by this one search.
    /// </summary>
    public static readonly SqlCharacterSet Triggers = new(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f \u007f\u00a0'\"`();#@*{=+|&<>!:\u2018\u2019\u201a\u201b\u2032\u02bc\uff07\u201c\u201d\u201e\u2033\uff02");
}

/// <summary>
/// A character set searched as its ASCII part and, only in a value that is not all ASCII, its other part. One
/// <see cref="SearchValues{T}"/> over a set with a few non-ASCII characters searches ASCII text with a slower
/// probabilistic map; split, ASCII text costs one vectorised ASCII search and one ASCII check.
/// </summary>
internal sealed class SqlCharacterSet(string characters)
{
    private readonly SearchValues<char> _ascii = SearchValues.Create(characters.Where(char.IsAscii).ToArray());

    private readonly SearchValues<char> _other = SearchValues.Create(characters.Where(c => !char.IsAscii(c)).ToArray());

    private readonly CharacterMask _mask = CharacterMask.Of(characters);

    public bool ContainsAny(ReadOnlySpan<char> value) =>
        value.ContainsAny(_ascii) || (!Ascii.IsValid(value) && value.ContainsAny(_other));

    /// <summary>As <see cref="ContainsAny(ReadOnlySpan{char})"/>, answered from the value's characters when the engine computed them.</summary>
    public bool ContainsAny(ReadOnlySpan<char> value, in CharacterMask characters) =>
        characters.IsKnown ? characters.ContainsAny(value, _mask, _other) : ContainsAny(value);
}
