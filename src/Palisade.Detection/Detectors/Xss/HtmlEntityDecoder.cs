using System.Collections.Frozen;

namespace Palisade.Detection.Detectors.Xss;

/// <summary>
/// Decodes HTML character references the way a browser does before it uses an attribute value:
/// <c>&amp;#106;</c>, <c>&amp;#x6A</c> (the <c>;</c> is optional), <c>&amp;#0000106</c>, <c>&amp;Tab;</c>, <c>&amp;colon;</c>,
/// <c>&amp;lpar;</c>. Obfuscated payloads such as <c>jav&amp;#x09;ascript&amp;colon;</c> only reveal their scheme once decoded.
/// </summary>
/// <remarks>
/// Only the named references that stand for ASCII characters (plus <c>&amp;nbsp;</c>) are known: those are the
/// ones that can spell a scheme, a keyword or a delimiter; any other name stays as written. As in browsers, a
/// name without its <c>;</c> is decoded only for the legacy names (<c>&amp;lt</c>, <c>&amp;amp</c>...), and inside an
/// attribute value not when a letter, digit or <c>=</c> follows it (<c>?a=1&amp;lt=2</c> keeps its text).
/// </remarks>
public static class HtmlEntityDecoder
{
    private const int MaxNameLength = 24;

    private static readonly FrozenDictionary<string, char> Named = new Dictionary<string, char>(StringComparer.Ordinal)
    {
        ["Tab"] = '\t', ["NewLine"] = '\n', ["excl"] = '!', ["quot"] = '"', ["QUOT"] = '"', ["num"] = '#',
        ["dollar"] = '$', ["percnt"] = '%', ["amp"] = '&', ["AMP"] = '&', ["apos"] = '\'', ["lpar"] = '(',
        ["rpar"] = ')', ["ast"] = '*', ["midast"] = '*', ["plus"] = '+', ["comma"] = ',', ["period"] = '.',
        ["sol"] = '/', ["colon"] = ':', ["semi"] = ';', ["lt"] = '<', ["LT"] = '<', ["equals"] = '=',
        ["gt"] = '>', ["GT"] = '>', ["quest"] = '?', ["commat"] = '@', ["lsqb"] = '[', ["lbrack"] = '[',
        ["bsol"] = '\\', ["rsqb"] = ']', ["rbrack"] = ']', ["Hat"] = '^', ["lowbar"] = '_', ["UnderBar"] = '_',
        ["grave"] = '`', ["DiacriticalGrave"] = '`', ["lcub"] = '{', ["lbrace"] = '{', ["verbar"] = '|',
        ["vert"] = '|', ["VerticalLine"] = '|', ["rcub"] = '}', ["rbrace"] = '}', ["nbsp"] = '\u00A0',
        ["NonBreakingSpace"] = '\u00A0',
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, char>.AlternateLookup<ReadOnlySpan<char>> NamedLookup =
        Named.GetAlternateLookup<ReadOnlySpan<char>>();

    // Names browsers also accept without ';' (a subset of the legacy list: the ones in the table above).
    private static readonly string[] Legacy = ["quot", "QUOT", "amp", "AMP", "nbsp", "lt", "LT", "gt", "GT"];

    // Numeric references 0x80-0x9F mean the Windows-1252 characters, as in browsers.
    private static ReadOnlySpan<char> Windows1252 =>
        "\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F"
        + "\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178";

    /// <summary>
    /// Decodes the references in <paramref name="text"/> into <paramref name="destination"/> and returns how many
    /// characters were written; stops early (without failing) when the destination is full.
    /// </summary>
    public static int Decode(ReadOnlySpan<char> text, Span<char> destination, bool inAttribute = true)
    {
        var written = 0;
        var i = 0;
        while (i < text.Length && written < destination.Length)
        {
            var amp = text[i..].IndexOf('&');
            var plain = amp < 0 ? text.Length - i : amp;
            var copy = Math.Min(plain, destination.Length - written);
            text.Slice(i, copy).CopyTo(destination[written..]);
            written += copy;
            i += copy;
            if (copy < plain || i >= text.Length)
            {
                break;
            }

            var consumed = TryDecode(text[i..], inAttribute, out var codePoint);
            if (consumed == 0)
            {
                destination[written++] = '&';
                i++;
                continue;
            }

            i += consumed;
            if (codePoint <= 0xFFFF)
            {
                destination[written++] = (char)codePoint;
            }
            else if (written + 1 < destination.Length)
            {
                var rune = new System.Text.Rune(codePoint);
                written += rune.EncodeToUtf16(destination[written..]);
            }
            else
            {
                break;
            }
        }

        return written;
    }

    /// <summary>True when the text holds a <c>&amp;</c> that could start a reference.</summary>
    public static bool MayContainReferences(ReadOnlySpan<char> text) => text.Contains('&');

    /// <summary>
    /// Decodes the reference that starts <paramref name="text"/> (which begins with <c>&amp;</c>); returns how many
    /// characters it spans, or 0 when it is not a reference a browser would decode.
    /// </summary>
    public static int TryDecode(ReadOnlySpan<char> text, bool inAttribute, out int codePoint)
    {
        codePoint = 0;
        if (text.Length < 2 || text[0] != '&')
        {
            return 0;
        }

        return text[1] == '#' ? TryDecodeNumeric(text, out codePoint) : TryDecodeNamed(text, inAttribute, out codePoint);
    }

    private static int TryDecodeNumeric(ReadOnlySpan<char> text, out int codePoint)
    {
        codePoint = 0;
        var i = 2;
        var hex = i < text.Length && (text[i] | 0x20) == 'x';
        if (hex)
        {
            i++;
        }

        var digitsStart = i;
        long value = 0;
        while (i < text.Length && (hex ? char.IsAsciiHexDigit(text[i]) : char.IsAsciiDigit(text[i])))
        {
            // Saturate: anything past U+10FFFF decodes to U+FFFD however many digits follow.
            value = Math.Min(value * (hex ? 16 : 10) + HexValue(text[i]), 0x110000);
            i++;
        }

        if (i == digitsStart)
        {
            return 0;
        }

        if (i < text.Length && text[i] == ';')
        {
            i++;
        }

        codePoint = value switch
        {
            0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF) => 0xFFFD,
            >= 0x80 and <= 0x9F => Windows1252[(int)value - 0x80],
            _ => (int)value,
        };
        return i;
    }

    private static int TryDecodeNamed(ReadOnlySpan<char> text, bool inAttribute, out int codePoint)
    {
        codePoint = 0;
        var end = 1;
        while (end < text.Length && end <= MaxNameLength && char.IsAsciiLetterOrDigit(text[end]))
        {
            end++;
        }

        var name = text[1..end];
        if (name.IsEmpty)
        {
            return 0;
        }

        if (end < text.Length && text[end] == ';' && NamedLookup.TryGetValue(name, out var full))
        {
            codePoint = full;
            return end + 1;
        }

        // Legacy names match as a prefix of the run of letters, without ';'.
        foreach (var legacy in Legacy)
        {
            if (!name.StartsWith(legacy, StringComparison.Ordinal))
            {
                continue;
            }

            var after = 1 + legacy.Length;
            if (inAttribute && after < text.Length && (char.IsAsciiLetterOrDigit(text[after]) || text[after] == '='))
            {
                return 0;
            }

            codePoint = Named[legacy];
            return after;
        }

        return 0;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
