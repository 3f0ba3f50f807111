using System.Buffers;
using System.Text;

namespace Palisade.Detection.Parsing;

/// <summary>
/// Decodes JavaScript and JSON string escapes: <c>\u0027</c>, <c>\u{27}</c>, <c>\x27</c>, octal <c>\47</c>, and the
/// single-character escapes (<c>\n</c>, <c>\"</c>...). A value is decoded only when it holds at least one escape
/// that changes a character; anything else costs one vectorised search for a backslash.
/// </summary>
public static class JsEscapeDecoder
{
    private static readonly SearchValues<char> EscapeLetters = SearchValues.Create("ux01234567nrtbfv'\"\\/");

    /// <summary>Decodes the escapes, or returns null when the text holds none.</summary>
    public static string? Decode(ReadOnlySpan<char> text)
    {
        var first = IndexOfEscape(text, 0);
        if (first < 0)
        {
            return null;
        }

        var sb = new StringBuilder(text.Length);
        sb.Append(text[..first]);
        var i = first;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '\\' || i + 1 >= text.Length)
            {
                sb.Append(c);
                i++;
                continue;
            }

            i += Unescape(text, i, sb);
        }

        return sb.ToString();
    }

    // Appends what the escape at 'i' means and returns how many characters it used.
    private static int Unescape(ReadOnlySpan<char> text, int i, StringBuilder sb)
    {
        var e = text[i + 1];
        switch (e)
        {
            case 'u' when i + 2 < text.Length && text[i + 2] == '{':
                var close = text[(i + 3)..].IndexOf('}');
                if (close is > 0 and <= 6 && TryHex(text.Slice(i + 3, close), out var codePoint) && Rune.IsValid(codePoint))
                {
                    sb.Append(new Rune(codePoint).ToString());
                    return close + 4;
                }

                break;
            case 'u' when i + 5 < text.Length && TryHex(text.Slice(i + 2, 4), out var unit):
                sb.Append((char)unit);
                return 6;
            case 'x' when i + 3 < text.Length && TryHex(text.Slice(i + 2, 2), out var value):
                sb.Append((char)value);
                return 4;
            case >= '0' and <= '7':
                var octal = 0;
                var length = 0;
                while (length < 3 && i + 1 + length < text.Length && text[i + 1 + length] is >= '0' and <= '7' && octal * 8 + (text[i + 1 + length] - '0') <= 0xFF)
                {
                    octal = (octal * 8) + (text[i + 1 + length] - '0');
                    length++;
                }

                sb.Append((char)octal);
                return length + 1;
            case 'n':
                sb.Append('\n');
                return 2;
            case 'r':
                sb.Append('\r');
                return 2;
            case 't':
                sb.Append('\t');
                return 2;
            case 'b' or 'f' or 'v':
                sb.Append(' ');
                return 2;
            case '\'' or '"' or '\\' or '/':
                sb.Append(e);
                return 2;
        }

        sb.Append('\\');
        return 1;
    }

    // The first backslash followed by something that is really an escape ("\d" in a regex is not).
    private static int IndexOfEscape(ReadOnlySpan<char> text, int start)
    {
        while (start < text.Length)
        {
            var slash = text[start..].IndexOf('\\');
            if (slash < 0)
            {
                return -1;
            }

            var i = start + slash;
            if (i + 1 < text.Length && IsMeaningful(text, i))
            {
                return i;
            }

            start = i + 2;
        }

        return -1;
    }

    // Only escapes that hide a character count as a reason to decode: \u, \x and octal with their digits.
    // "C:\new\temp" or "\"quoted\"" alone are not encodings.
    private static bool IsMeaningful(ReadOnlySpan<char> text, int i)
    {
        var e = text[i + 1];
        if (!EscapeLetters.Contains(e))
        {
            return false;
        }

        return e switch
        {
            'u' => (i + 5 < text.Length && TryHex(text.Slice(i + 2, 4), out _)) || (i + 2 < text.Length && text[i + 2] == '{'),
            'x' => i + 3 < text.Length && TryHex(text.Slice(i + 2, 2), out _),
            >= '0' and <= '7' => i + 3 < text.Length && text[i + 2] is >= '0' and <= '7' && text[i + 3] is >= '0' and <= '7',
            _ => false,
        };
    }

    private static bool TryHex(ReadOnlySpan<char> digits, out int value)
    {
        value = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }

            value = (value << 4) | (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }

        return true;
    }
}
