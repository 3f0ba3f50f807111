namespace Palisade.Detection.Detectors.Rce;

/// <summary>
/// Reads one word of a shell command line the way <c>sh</c> would after quote removal: <c>'...'</c> and
/// <c>"..."</c> lose their quotes, a backslash escapes the next character, empty expansions (<c>$@</c>, <c>$!</c>,
/// <c>$1</c>, <c>${x}</c>, <c>$()</c>, <c>``</c>, and inside a word a short unset variable such as <c>$u</c>) vanish,
/// and <c>$IFS</c> / <c>${IFS}</c> is a blank. A word
/// is read over at most <see cref="MaxWordChars"/> characters, so reading one costs a constant.
/// </summary>
internal static class ShellWordReader
{
    private static readonly System.Buffers.SearchValues<char> NameChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    // The ASCII characters Read copies as they are: all but where it ends a word outside braces (blanks, newlines,
    // operators) and what makes it change a word's text (quotes, escapes, expansions, substitutions) or mark it as
    // a glob.
    private static readonly System.Buffers.SearchValues<char> PlainChars = System.Buffers.SearchValues.Create(PlainAscii());

    /// <summary>The most characters one word is read over; longer words are cut there.</summary>
    public const int MaxWordChars = 256;

    /// <summary>Skips blanks (spaces, tabs, <c>$IFS</c>, <c>${IFS}</c>, <c>$IFS$9</c>) from <paramref name="index"/>.</summary>
    public static int SkipBlanks(ReadOnlySpan<char> value, int index)
    {
        var limit = Math.Min(value.Length, index + MaxWordChars);
        while (index < limit)
        {
            if (value[index] is ' ' or '\t')
            {
                index++;
            }
            else if (IfsLength(value, index) is var ifs and > 0)
            {
                index += ifs;
            }
            else
            {
                break;
            }
        }

        return index;
    }

    /// <summary>The length of a whitespace expansion at <paramref name="index"/> (<c>$IFS</c>, <c>${IFS}</c>, <c>$IFS$9</c>), or 0.</summary>
    public static int IfsLength(ReadOnlySpan<char> value, int index)
    {
        if (index >= value.Length || value[index] != '$')
        {
            return 0;
        }

        var rest = value[index..];
        int length;
        if (rest.StartsWith("${IFS}", StringComparison.Ordinal))
        {
            length = 6;
        }
        else if (rest.StartsWith("$IFS", StringComparison.Ordinal) && (rest.Length == 4 || !char.IsAsciiLetterOrDigit(rest[4]) || rest[4] == '$'))
        {
            length = 4;
        }
        else
        {
            return 0;
        }

        // $IFS$9: an empty positional parameter ends the name.
        if (rest.Length >= length + 2 && rest[length] == '$' && char.IsAsciiDigit(rest[length + 1]))
        {
            length += 2;
        }

        return length;
    }

    /// <summary>
    /// The length of the word that starts exactly at <paramref name="start"/> when it is plain: ASCII, without quotes,
    /// escapes, <c>$</c>, backticks or glob characters, so that <see cref="Read"/> (outside braces) would give its
    /// characters, lower-cased, as its text, neither split nor globbed. Looks at no more than <paramref name="limit"/>
    /// characters (a length of <paramref name="limit"/> means the word may go on), so a call costs a constant.
    /// -1 when the word is not plain.
    /// </summary>
    public static int PlainWordLength(ReadOnlySpan<char> value, int start, int limit)
    {
        var rest = value[start..Math.Min(value.Length, start + limit)];
        var length = rest.IndexOfAnyExcept(PlainChars);
        if (length < 0)
        {
            return rest.Length;
        }

        return rest[length] is ' ' or '\t' or '\n' or '\r' or ';' or '|' or '&' or '<' or '>' or '(' or ')' ? length : -1;
    }

    private static string PlainAscii()
    {
        Span<char> chars = stackalloc char[128];
        var length = 0;
        for (var c = '\0'; c < (char)128; c++)
        {
            if (c is not (' ' or '\t' or '\n' or '\r' or ';' or '|' or '&' or '<' or '>' or '(' or ')' or '\'' or '"' or '\\' or '$' or '`' or '?' or '*' or '['))
            {
                chars[length++] = c;
            }
        }

        return chars[..length].ToString();
    }

    /// <summary>
    /// Reads the word starting at or after <paramref name="index"/> (blanks skipped), writing its text in lower
    /// case to <paramref name="text"/>. A word ends at a blank, an operator (<c>; | &amp; &lt; &gt; ( )</c>), a
    /// backtick that opens a substitution, a newline, or a <c>,</c> inside a brace expansion.
    /// </summary>
    public static ShellWord Read(ReadOnlySpan<char> value, int index, Span<char> text, bool inBraces = false)
    {
        var start = SkipBlanks(value, index);
        var limit = Math.Min(value.Length, start + MaxWordChars);
        var i = start;
        var length = 0;
        var split = false;
        var glob = false;
        var overflow = false;
        while (i < limit)
        {
            var c = value[i];
            if (c is ' ' or '\t' or '\n' or '\r' or ';' or '|' or '&' or '<' or '>' or '(' or ')' || (inBraces && c is ',' or '}'))
            {
                break;
            }

            if (c is '\'' or '"')
            {
                var close = value[(i + 1)..limit].IndexOf(c);
                if (close < 0)
                {
                    break;
                }

                split |= length > 0 || i + close + 2 < limit && IsWordChar(value[i + close + 2]);
                Append(text, ref length, ref overflow, value.Slice(i + 1, close));
                i += close + 2;
                continue;
            }

            if (c == '\\')
            {
                if (i + 1 >= limit)
                {
                    break;
                }

                if (value[i + 1] is not ('\n' or '\r'))
                {
                    Append(text, ref length, ref overflow, value.Slice(i + 1, 1));
                }

                split = true;
                i += 2;
                continue;
            }

            if (c == '$' && i + 1 < limit && value[i + 1] is '\'' or '"')
            {
                // $'...' (ANSI-C quoting) and $"..." (translated) quote like the quotes they wrap.
                split = true;
                i++;
                continue;
            }

            if (c == '$' && (EmptyExpansionLength(value[i..limit]) is var empty and > 0
                || (length > 0 && (empty = UnsetVariableLength(value[i..limit])) > 0)))
            {
                split = true;
                i += empty;
                continue;
            }

            if (c == '`')
            {
                if (i + 1 < limit && value[i + 1] == '`')
                {
                    split = true;
                    i += 2;
                    continue;
                }

                break;
            }

            glob |= c is '?' or '*' or '[';
            Append(text, ref length, ref overflow, value.Slice(i, 1));
            i++;
        }

        return new ShellWord(start, i, overflow ? -1 : length, split, glob);
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '/' or '.';

    // $@, $*, $1..$9, ${x} (any unset name but IFS), $(): expansions that leave nothing behind.
    private static int EmptyExpansionLength(ReadOnlySpan<char> rest)
    {
        if (rest.Length < 2 || IfsLength(rest, 0) > 0)
        {
            return 0;
        }

        var next = rest[1];
        if (next is '@' or '*' or '?' or '-' or '_' or '!' || next is >= '1' and <= '9')
        {
            return 2;
        }

        if (next == '(' && rest.Length > 2 && rest[2] == ')')
        {
            return 3;
        }

        if (next == '{')
        {
            var close = rest.IndexOf('}');
            return close > 2 && close < 32 && !rest[2..close].Equals("SHELL", StringComparison.Ordinal) && !rest[2..close].ContainsAnyExcept(NameChars)
                ? close + 1
                : 0;
        }

        return 0;
    }

    /// <summary>
    /// The length of a short unset variable that is a word of its own at <paramref name="index"/> (<c>$a cat</c>,
    /// <c>$u wget</c>): unquoted, it expands to nothing and word splitting drops it, so the next word is the command.
    /// 0 when there is none.
    /// </summary>
    public static int LoneUnsetVariableLength(ReadOnlySpan<char> value, int index)
    {
        var length = value[index] == '$' ? UnsetVariableLength(value[index..]) : 0;
        return length > 0 && index + length < value.Length && value[index + length] is ' ' or '\t' ? length : 0;
    }

    // Inside a word, a short variable nobody sets ($u, $XX) expands to nothing: uname$u, c$ab$t. The name is read
    // as the shell reads it, as long as it goes.
    private static int UnsetVariableLength(ReadOnlySpan<char> rest)
    {
        if (rest.Length < 2 || !(char.IsAsciiLetter(rest[1]) || rest[1] == '_'))
        {
            return 0;
        }

        var end = 2;
        while (end < rest.Length && end <= 4 && (char.IsAsciiLetterOrDigit(rest[end]) || rest[end] == '_'))
        {
            end++;
        }

        return end <= 4 ? end : 0;
    }

    private static void Append(Span<char> text, ref int length, ref bool overflow, ReadOnlySpan<char> chars)
    {
        if (overflow || length + chars.Length > text.Length)
        {
            overflow = true;
            return;
        }

        foreach (var c in chars)
        {
            text[length++] = char.ToLowerInvariant(c);
        }
    }
}
