using System.Buffers;
using System.Text;

namespace Palisade.Detection.Detectors.PathTraversal;

/// <summary>
/// Folds a value to the path a file API would see: one round of percent-decoding (with overlong UTF-8 forms
/// such as <c>%c0%ae</c> and IIS <c>%u2215</c> forms), <c>0x2e</c>-style hex, look-alike dots and slashes, and
/// backslashes all become <c>.</c> and <c>/</c>; ASCII is lower-cased; NUL and other control characters are
/// dropped (a NUL truncates the path in C APIs, so what follows it does not hide what precedes it). The output is
/// never longer than the input. One pass, no allocation.
/// </summary>
public static class PathNormalizer
{
    // Printable ASCII other than '%' and the backslash: the folding loop copies them, only lower-casing letters.
    private static readonly SearchValues<char> PlainAscii = SearchValues.Create(
        " !\"#$&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    // "0x2e" and "..2f" escapes: in plain ASCII only these two pairs can start one.
    private static readonly SearchValues<string> EscapeStarts = SearchValues.Create(["..", "0x"], StringComparison.OrdinalIgnoreCase);

    // The characters no branch below reacts to (all but '%', the backslash, and the '0', '2' and '5' that can
    // start or end an escape): the loop copies them directly, lower-casing letters.
    private static readonly SearchValues<char> SimpleAscii = SearchValues.Create(
        " !\"#$&'()*+,-./1346789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    public static PathText Normalize(ReadOnlySpan<char> value, Span<char> output)
    {
        if (IsPlain(value))
        {
            Ascii.ToLower(value, output, out var written);
            return new PathText(written, false, false, false);
        }

        var length = 0;
        var encoded = false;
        var backslash = false;
        var nul = false;
        var i = 0;
        while (i < value.Length)
        {
            var c = value[i];
            if (SimpleAscii.Contains(c))
            {
                output[length++] = c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
                i++;
                continue;
            }

            var consumed = 1;
            if (TryReadByte(value[i..], out var lead, out var leadLength) && lead is 0xC0 or 0xC1 or 0xE0 or 0xF0 or 0xF8 or 0xFC
                && TryDecodeOverlong(value[(i + leadLength)..], lead, out var overlong, out var restLength))
            {
                // Overlong UTF-8 for a dot or separator, escaped (%c0%ae) or already decoded to Latin-1 (\u00C0\u00AE).
                c = overlong;
                consumed = leadLength + restLength;
                encoded = true;
            }
            else if (c == '%' && TryDecodePercent(value[i..], out var decoded, out consumed))
            {
                c = decoded;
                encoded |= c is '.' or '/' or '\\';
            }
            else if (c is '2' or '5' && length >= 2 && output[length - 1] == '.' && output[length - 2] == '.' && i + 1 < value.Length
                && ((c == '2' && (value[i + 1] | 0x20) == 'f') || (c == '5' && (value[i + 1] | 0x20) == 'c')))
            {
                // "..2f": an escape that lost its percent sign, read as a separator by sloppy decoders.
                c = '/';
                consumed = 2;
                encoded = true;
            }
            else if (c == '0' && i + 3 < value.Length && (value[i + 1] | 0x20) == 'x' && TryHexPair(value[i + 2], value[i + 3], out var hex)
                && hex is 0x2e or 0x2f or 0x5c)
            {
                c = (char)hex;
                consumed = 4;
                encoded = true;
            }

            if (c == '\\' && consumed == 1 && i + 1 < value.Length && value[i + 1] == '"')
            {
                // An escaped quote in JSON or a string literal, not a separator.
                i++;
                continue;
            }

            var folded = Fold(c);
            if (folded != c && c >= 0x80)
            {
                encoded = true;
            }

            i += consumed;
            if (folded == '\\')
            {
                backslash = true;
                folded = '/';
            }

            if (folded < ' ')
            {
                nul |= folded == '\0';
                if (folded is '\t' or '\n' or '\r')
                {
                    output[length++] = ' ';
                }

                continue;
            }

            output[length++] = folded;
        }

        return new PathText(length, encoded, backslash, nul);
    }

    // Sound fast path: without '%', a backslash, a control or non-ASCII character, "0x" or "..", no escape,
    // overlong form, look-alike or "..2f" branch of the loop can fire, and folding only lower-cases letters.
    private static bool IsPlain(ReadOnlySpan<char> value) => !value.ContainsAnyExcept(PlainAscii) && !value.ContainsAny(EscapeStarts);

    private static char Fold(char c) => c switch
    {
        >= 'A' and <= 'Z' => (char)(c + 32),
        '\uFF0E' or '\u2024' or '\uFE52' => '.',
        '\u2215' or '\u2044' or '\uFF0F' or '\u2571' or '\u29F8' => '/',
        '\uFF3C' or '\u2216' or '\u29F5' or '\u29F9' or '\uFE68' => '\\',
        _ => c,
    };

    private static bool TryDecodePercent(ReadOnlySpan<char> text, out char decoded, out int consumed)
    {
        decoded = '\0';
        consumed = 1;
        if (text.Length >= 6 && (text[1] | 0x20) == 'u' && TryHexPair(text[2], text[3], out var high) && TryHexPair(text[4], text[5], out var low))
        {
            decoded = (char)((high << 8) | low);
            if (decoded is >= '\uE000' and <= '\uF8FF')
            {
                // Private-use code points that broken %u decoders map onto a separator.
                decoded = '/';
            }

            consumed = 6;
            return true;
        }

        if (text.Length >= 2 && text[1] == '%' && TryDecodeNested(text[1..], out decoded, out var nested))
        {
            consumed = nested + 1;
            return true;
        }

        if (text.Length < 3)
        {
            return false;
        }

        if (!TryHexPair(text[1], text[2], out var first))
        {
            if (IsBrokenEscape(text))
            {
                decoded = '/';
                consumed = 3;
                return true;
            }

            return false;
        }

        consumed = 3;
        if (first is 0xC0 or 0xC1 && text.Length >= 6 && text[3] == '%' && IsBrokenEscape(text[3..]))
        {
            decoded = '/';
            consumed = 6;
            return true;
        }

        if (first is 0xF0 or 0xF8 or 0xFC && TryDecodeLongOverlong(text, first, out decoded, out var overlong))
        {
            consumed = overlong;
            return true;
        }

        if (first is 0xC0 or 0xC1 && text.Length >= 6 && text[3] == '%' && TryHexPair(text[4], text[5], out var second))
        {
            // Overlong two-byte UTF-8 (%c0%ae is '.'), and the sloppy forms decoders accept (%c0%2e, %c0%5c).
            var value = ((first & 1) << 6) | (second & 0x3F);
            decoded = value switch
            {
                0x1C or 0x5C => '\\',
                0x1E or 0x2E => '.',
                0x1F or 0x2F => '/',
                _ => '\uFFFD',
            };
            consumed = 6;
            return true;
        }

        if (first == 0xE0 && text.Length >= 9 && text[3] == '%' && text[6] == '%' && TryHexPair(text[4], text[5], out var mid)
            && TryHexPair(text[7], text[8], out var last))
        {
            var value = ((mid & 0x3F) << 6) | (last & 0x3F);
            decoded = value is 0x2E or 0x2F or 0x5C ? (char)value : '\uFFFD';
            consumed = 9;
            return true;
        }

        decoded = first < 0x80 ? (char)first : '\uFFFD';
        return true;
    }

    // One byte: an escape, or a character up to U+00FF (the engine's decoder keeps invalid UTF-8 bytes as Latin-1).
    private static bool TryReadByte(ReadOnlySpan<char> text, out int value, out int length)
    {
        value = 0;
        length = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        if (text[0] == '%' && text.Length >= 3 && TryHexPair(text[1], text[2], out value))
        {
            length = 3;
            return true;
        }

        value = text[0];
        length = 1;
        return text[0] <= '\u00FF';
    }

    private static bool TryDecodeOverlong(ReadOnlySpan<char> rest, int lead, out char decoded, out int consumed)
    {
        decoded = '\0';
        consumed = 0;
        var continuations = lead switch { 0xC0 or 0xC1 => 1, 0xE0 => 2, 0xF0 => 3, 0xF8 => 4, _ => 5 };
        var last = 0;
        for (var k = 0; k < continuations; k++)
        {
            if (k == continuations - 1 && IsBrokenEscape(rest[consumed..]))
            {
                decoded = '/';
                consumed += 3;
                return true;
            }

            if (!TryReadByte(rest[consumed..], out last, out var length) || (k < continuations - 1 && last != 0x80))
            {
                return false;
            }

            consumed += length;
        }

        var value = (last & 0x3F) | (lead == 0xC1 ? 0x40 : 0);
        decoded = value switch
        {
            0x1C or 0x5C => '\\',
            0x1E or 0x2E or 0x3E => '.',
            0x1F or 0x2F => '/',
            _ => '\uFFFD',
        };
        return true;
    }

    // "%%32%%66": an escape whose hex digits are themselves escaped.
    private static bool TryDecodeNested(ReadOnlySpan<char> text, out char decoded, out int consumed)
    {
        decoded = '\0';
        consumed = 0;
        if (text.Length < 6 || !TryHexPair(text[1], text[2], out var high) || HexValue((char)high) < 0)
        {
            return false;
        }

        var i = 3;
        if (i < text.Length && text[i] == '%' && i + 1 < text.Length && text[i + 1] == '%')
        {
            i++;
        }

        int low;
        if (i + 2 < text.Length && text[i] == '%' && TryHexPair(text[i + 1], text[i + 2], out var escaped) && HexValue((char)escaped) >= 0)
        {
            low = HexValue((char)escaped);
            i += 3;
        }
        else if (i < text.Length && HexValue(text[i]) >= 0)
        {
            low = HexValue(text[i]);
            i++;
        }
        else
        {
            return false;
        }

        var value = (HexValue((char)high) << 4) | low;
        decoded = value < 0x80 ? (char)value : '\uFFFD';
        consumed = i;
        return true;
    }

    // Overlong four-, five- and six-byte forms: %f0%80%80%ae, %f8%80%80%80%af, %fc%80%80%80%80%ae.
    private static bool TryDecodeLongOverlong(ReadOnlySpan<char> text, int first, out char decoded, out int consumed)
    {
        decoded = '\0';
        consumed = 0;
        var continuations = first switch { 0xF0 => 3, 0xF8 => 4, _ => 5 };
        var end = 3 * (continuations + 1);
        if (text.Length < end)
        {
            return false;
        }

        var last = 0;
        for (var k = 1; k <= continuations; k++)
        {
            var at = 3 * k;
            if (text[at] != '%' || !TryHexPair(text[at + 1], text[at + 2], out last) || (k < continuations && last != 0x80))
            {
                return false;
            }
        }

        var value = last & 0x3F;
        decoded = value switch { 0x2E => '.', 0x2F => '/', 0x1C => '\\', _ => '/' };
        consumed = end;
        return true;
    }

    // "%qf", "%8s", "%pc": a percent sign and two characters that are not hex, which some decoders fold into a
    // separator. Only letters and digits count, so "100% sure" stays as it is.
    private static bool IsBrokenEscape(ReadOnlySpan<char> text) =>
        text.Length >= 3 && text[0] == '%' && char.IsAsciiLetterOrDigit(text[1]) && char.IsAsciiLetterOrDigit(text[2])
        && !(HexValue(text[1]) >= 0 && HexValue(text[2]) >= 0);

    private static bool TryHexPair(char high, char low, out int value)
    {
        var h = HexValue(high);
        var l = HexValue(low);
        value = (h << 4) | l;
        return h >= 0 && l >= 0;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
