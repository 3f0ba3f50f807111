namespace Palisade.Detection.Detectors.Crlf;

/// <summary>
/// Reads a CR or LF at a position of a value however it was written: raw, percent-encoded once or several times
/// (<c>%0d</c>, <c>%250a</c>, <c>%25%30%61</c>, <c>%%0a0a</c>), as <c>%u000a</c>, as the backslash escapes
/// <c>\r \n</c>, or as the characters U+560A/U+560D whose low bytes some servers keep (<c>嘊嘍</c>, also
/// UTF-8-encoded as <c>%E5%98%8A</c>).
/// </summary>
internal static class LineBreaks
{
    /// <summary>The length of the line break written at <paramref name="i"/>, or 0.</summary>
    public static int At(ReadOnlySpan<char> s, int i, bool raw)
    {
        var c = s[i];
        if (c is '\r' or '\n')
        {
            return raw ? 1 : 0;
        }

        if (c is '\u560A' or '\u560D')
        {
            return 1;
        }

        if (c == '\\' && i + 1 < s.Length && s[i + 1] is 'r' or 'n')
        {
            return 2;
        }

        return c == '%' ? Encoded(s, i) : 0;
    }

    private static int Encoded(ReadOnlySpan<char> s, int i)
    {
        var j = i + 1;
        if (j >= s.Length || s[j] is not ('%' or '0' or '2' or 'u' or 'U' or 'e' or 'E'))
        {
            // Sound pre-filter: every spelling below continues with one of these ("%7C" is a '|', not a break).
            return 0;
        }

        // %%0a0a: a tool's double encoding that decodes to %0a.
        if (Has(s, j, "%0a0a") || Has(s, j, "%0d0d"))
        {
            return 6;
        }

        // %u000a, %u000d.
        if (Has(s, j, "u000a") || Has(s, j, "u000d"))
        {
            return 6;
        }

        // %E5%98%8A, %E5%98%8D.
        if (Has(s, j, "e5%98%8a") || Has(s, j, "e5%98%8d"))
        {
            return 9;
        }

        // Each "25" is one more round of encoding of the '%'.
        var rounds = 0;
        while (rounds < 4 && Has(s, j, "25"))
        {
            j += 2;
            rounds++;
            if (j < s.Length && s[j] == '%')
            {
                j++;
            }
        }

        if (Has(s, j, "0a") || Has(s, j, "0d"))
        {
            return j + 2 - i;
        }

        // %25%30%61: the '0' and the 'a' encoded as well.
        if (rounds > 0 && Has(s, j, "30"))
        {
            j += 2;
            if (j < s.Length && (s[j] | 0x20) is 'a' or 'd')
            {
                return j + 1 - i;
            }

            if (Has(s, j, "%61") || Has(s, j, "%64") || Has(s, j, "%41") || Has(s, j, "%44"))
            {
                return j + 3 - i;
            }
        }

        return 0;
    }

    private static bool Has(ReadOnlySpan<char> s, int at, string text) =>
        at + text.Length <= s.Length && s.Slice(at, text.Length).Equals(text, StringComparison.OrdinalIgnoreCase);
}
