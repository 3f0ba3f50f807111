namespace Palisade.Detection.Rules;

/// <summary>
/// Glob matching without backtracking blow-up: <c>*</c> matches any run of characters except the separators,
/// <c>**</c> any run at all, <c>?</c> one character that is not a separator. Everything else matches itself
/// (ordinally, or ignoring ASCII case). Linear in the text for each star, bounded by text × pattern length.
/// </summary>
internal static class GlobMatcher
{
    /// <summary>True when <paramref name="pattern"/> matches the whole of <paramref name="text"/>.</summary>
    public static bool IsMatch(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text, ReadOnlySpan<char> separators, bool ignoreCase) =>
        MatchLength(pattern, text, separators, ignoreCase, prefixEnds: default, acceptPrefix: false) >= 0;

    /// <summary>
    /// True when <paramref name="pattern"/> matches the whole text or a prefix of it that ends just before one of
    /// <paramref name="prefixEnds"/>: a pattern for a point matches what was decoded or parsed out of that point too.
    /// </summary>
    public static bool IsMatchOrAncestor(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text, ReadOnlySpan<char> separators, ReadOnlySpan<char> prefixEnds, bool ignoreCase) =>
        MatchLength(pattern, text, separators, ignoreCase, prefixEnds, acceptPrefix: true) >= 0;

    private const int StackLimit = 512;

    private static int MatchLength(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text, ReadOnlySpan<char> separators, bool ignoreCase, ReadOnlySpan<char> prefixEnds, bool acceptPrefix)
    {
        // Dynamic programming over the text, one row per pattern position: reachable[i] says text[..i] is matched.
        // Two rows on the stack for short texts, from the shared pool for long ones (a long JSON path, a long URL).
        var rowLength = text.Length + 1;
        bool[]? rented = rowLength <= StackLimit ? null : System.Buffers.ArrayPool<bool>.Shared.Rent(rowLength * 2);
        try
        {
            Span<bool> rows = rented is null ? stackalloc bool[StackLimit * 2] : rented;
            return MatchLength(pattern, text, separators, ignoreCase, prefixEnds, acceptPrefix, rows[..rowLength], rows.Slice(rowLength, rowLength));
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<bool>.Shared.Return(rented);
            }
        }
    }

    private static int MatchLength(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text, ReadOnlySpan<char> separators, bool ignoreCase, ReadOnlySpan<char> prefixEnds, bool acceptPrefix, Span<bool> reachable, Span<bool> next)
    {
        reachable.Clear();
        reachable[0] = true;
        var p = 0;
        while (p < pattern.Length)
        {
            next.Clear();
            var c = pattern[p];
            if (c == '*')
            {
                var any = p + 1 < pattern.Length && pattern[p + 1] == '*';
                var open = false;
                for (var i = 0; i <= text.Length; i++)
                {
                    if (reachable[i])
                    {
                        open = true;
                    }

                    next[i] = open;
                    if (open && i < text.Length && !any && separators.Contains(text[i]))
                    {
                        open = false;
                    }
                }

                p += any ? 2 : 1;
            }
            else
            {
                for (var i = 0; i < text.Length; i++)
                {
                    if (reachable[i] && (c == '?' ? !separators.Contains(text[i]) : Same(c, text[i], ignoreCase)))
                    {
                        next[i + 1] = true;
                    }
                }

                p++;
            }

            next.CopyTo(reachable);
        }

        if (reachable[text.Length])
        {
            return text.Length;
        }

        if (acceptPrefix)
        {
            for (var i = 1; i < text.Length; i++)
            {
                if (reachable[i] && prefixEnds.Contains(text[i]))
                {
                    return i;
                }
            }
        }

        return -1;
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.IsAsciiLetter(a) && (a | 0x20) == (b | 0x20));
}
