namespace Palisade.Detection.Detectors.OpenRedirect;

/// <summary>
/// Reads a value written with string-literal escapes (<c>\x6A</c>, <c>\u006A</c>, octal <c>\152</c>, or a
/// needless backslash before a letter) and tells whether it spells the <c>javascript:</c> scheme, which a
/// redirect through JavaScript (<c>location = value</c>) would run.
/// </summary>
public static class EscapedScheme
{
    private const string Script = "javascript:";

    public static bool IsEscapedScriptScheme(ReadOnlySpan<char> value)
    {
        var matched = 0;
        var i = 0;
        while (i < value.Length && matched < Script.Length)
        {
            var c = value[i];
            var consumed = 1;
            if (c == '\\' && i + 1 < value.Length)
            {
                c = Unescape(value[(i + 1)..], out var used);
                consumed = used + 1;
            }

            i += consumed;
            if (c is '\t' or '\n' or '\r')
            {
                continue;
            }

            if (char.ToLowerInvariant(c) != Script[matched])
            {
                return false;
            }

            matched++;
        }

        return matched == Script.Length;
    }

    private static char Unescape(ReadOnlySpan<char> text, out int used)
    {
        used = 1;
        var first = text[0];
        if (first == 'x' && text.Length >= 3 && TryHex(text.Slice(1, 2), out var hex))
        {
            used = 3;
            return (char)hex;
        }

        if (first == 'u' && text.Length >= 5 && TryHex(text.Slice(1, 4), out var unicode))
        {
            used = 5;
            return (char)unicode;
        }

        if (first is >= '0' and <= '7' && text.Length >= 3 && text[1] is >= '0' and <= '7' && text[2] is >= '0' and <= '7')
        {
            used = 3;
            return (char)(((first - '0') * 64) + ((text[1] - '0') * 8) + (text[2] - '0'));
        }

        return first switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => first };
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

            value = (value * 16) + (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }

        return true;
    }
}
