namespace Palisade.Detection.Detectors.CodeInjection;

/// <summary>
/// A JavaScript call whose callee spells a plain ASCII letter as a Unicode escape: <c>c\u006fnsole.info(1)</c>,
/// <c>\u0065val(x)</c>. JavaScript reads <c>\u006f</c> in an identifier as <c>o</c>, so the escape changes nothing for
/// the engine and only hides the name from filters; no one writes an ordinary letter of a name that way. An escape
/// inside a string (<c>"\u0041"</c>) or of a non-ASCII letter (<c>caf\u00e9</c>) is not one of these.
/// </summary>
internal static class EscapedIdentifiers
{
    // Bounds on the walks around an escape, so a value full of escapes stays linear.
    private const int MaxBack = 32;
    private const int MaxName = 64;
    private const int MaxMembers = 4;

    public static CodeFinding Find(ReadOnlySpan<char> value)
    {
        var at = value.IndexOf("\\u", StringComparison.Ordinal);
        while (at >= 0)
        {
            if (EscapedNameChar(value, at) != '\0')
            {
                var start = at;
                var limit = Math.Max(0, at - MaxBack);
                while (start > limit && CodeText.IsIdentifierChar(value[start - 1]))
                {
                    start--;
                }

                var end = ReadName(value, at);
                for (var members = 0; members < MaxMembers && end + 1 < value.Length && value[end] == '.' && CodeText.IsIdentifierStart(value[end + 1]); members++)
                {
                    end = ReadName(value, end + 1);
                }

                var open = CodeText.SkipSpaces(value, end);
                if ((start == 0 || !CodeText.IsIdentifierChar(value[start - 1]) && value[start - 1] is not ('"' or '\'' or '\\'))
                    && open < value.Length && value[open] == '(')
                {
                    return new CodeFinding("JavaScript call with a name hidden in Unicode escapes", start, open + 1, 75);
                }
            }

            var next = value[(at + 2)..].IndexOf("\\u", StringComparison.Ordinal);
            at = next < 0 ? -1 : at + 2 + next;
        }

        return default;
    }

    // The end of the name from i: identifier characters and escapes of them.
    private static int ReadName(ReadOnlySpan<char> value, int i)
    {
        var limit = Math.Min(value.Length, i + MaxName);
        while (i < limit)
        {
            if (CodeText.IsIdentifierChar(value[i]))
            {
                i++;
            }
            else if (EscapedNameChar(value, i) != '\0')
            {
                i += 6;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    // The ASCII letter, digit, '_' or '$' that \uXXXX at i stands for, or '\0'.
    private static char EscapedNameChar(ReadOnlySpan<char> value, int i)
    {
        if (i + 6 > value.Length || value[i] != '\\' || value[i + 1] is not ('u' or 'U')
            || !ushort.TryParse(value.Slice(i + 2, 4), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var code))
        {
            return '\0';
        }

        var c = (char)code;
        return c < 0x80 && CodeText.IsIdentifierChar(c) ? c : '\0';
    }
}
