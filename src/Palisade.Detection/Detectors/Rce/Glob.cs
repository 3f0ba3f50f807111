namespace Palisade.Detection.Detectors.Rce;

/// <summary>
/// Shell pathname matching (<c>?</c>, <c>*</c>, <c>[...]</c>) of one pattern against one known path, as the shell
/// expands <c>/???/??t</c> to <c>/bin/cat</c>. Both sides are short (a word and a path), and the matcher never
/// backtracks more than once per star, so a match costs at most their product.
/// </summary>
internal static class Glob
{
    private const int LongestPattern = 64;

    public static bool Matches(ReadOnlySpan<char> pattern, ReadOnlySpan<char> path)
    {
        if (pattern.Length > LongestPattern)
        {
            return false;
        }

        int p = 0, s = 0, starP = -1, starS = 0;
        while (s < path.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starS = s;
            }
            else if (p < pattern.Length && MatchesOne(pattern, ref p, path[s]))
            {
                s++;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                s = ++starS;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    // A bracket expression's members: single characters and ranges such as a-z.
    private static bool InSet(ReadOnlySpan<char> set, char c)
    {
        for (var i = 0; i < set.Length; i++)
        {
            if (i + 2 < set.Length && set[i + 1] == '-')
            {
                if (c >= set[i] && c <= set[i + 2])
                {
                    return true;
                }

                i += 2;
            }
            else if (set[i] == c)
            {
                return true;
            }
        }

        return false;
    }

    // One pattern element against one character; advances past the element when it matches.
    private static bool MatchesOne(ReadOnlySpan<char> pattern, ref int p, char c)
    {
        var element = pattern[p];
        if (element == '?')
        {
            p++;
            return c != '/';
        }

        if (element == '[')
        {
            var close = pattern[(p + 1)..].IndexOf(']');
            if (close > 0)
            {
                var set = pattern.Slice(p + 1, close);
                var negate = set[0] is '!' or '^';
                var found = InSet(negate ? set[1..] : set, char.ToLowerInvariant(c));
                if (found != negate)
                {
                    p += close + 2;
                    return true;
                }

                return false;
            }
        }

        if (char.ToLowerInvariant(element) == char.ToLowerInvariant(c))
        {
            p++;
            return true;
        }

        return false;
    }
}
