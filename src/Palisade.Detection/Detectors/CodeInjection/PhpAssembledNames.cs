namespace Palisade.Detection.Detectors.CodeInjection;

/// <summary>
/// A command function's name assembled from string literals and then called through what holds it:
/// <c>$y = 'sys'.'tem';($y)('uname');</c>, <c>define('x', 'sys' . 'tem');(x)/* c */('uname');</c>,
/// <c>define('z', [['sys' .'tem']]);(z)[0][0]('uname');</c>. Splitting <c>system</c> across literals hides it from
/// filters. The string must be stored (<c>$y = ...</c>, <c>define('x', ...)</c>) and what stores it then called in
/// parentheses (<c>($y)(</c>, <c>(x)/* c */(</c>, <c>(z)[0][0](</c>): assembled, assigned and called.
/// </summary>
internal static class PhpAssembledNames
{
    // The longest command function's name (call_user_func_array); literals that join to more are no such name.
    private const int MaxJoined = 20;

    // Spaces read around a concatenation's dot.
    private const int MaxSpaces = 8;

    // How far a comment between a computed callee and its parenthesis is read.
    private const int MaxComment = 64;

    // How far after the assembled string the call through its holder is looked for.
    private const int MaxCallDistance = 256;

    private static readonly System.Buffers.SearchValues<char> Quotes = System.Buffers.SearchValues.Create("'\"");

    public static CodeFinding Find(ReadOnlySpan<char> value)
    {
        var at = value.IndexOfAny(Quotes);
        while (at >= 0)
        {
            // A chain is read from its first literal: one after a '.' is the middle of a chain read before.
            var end = StartsChain(value, at) ? ReadJoined(value, at) : -1;
            if (end > 0 && AssignedName(value, at, out var nameStart, out var nameEnd))
            {
                var call = FindCallThrough(value, end, value[nameStart..nameEnd]);
                if (call > 0)
                {
                    return new CodeFinding("PHP command name assembled from strings and called", Math.Min(nameStart, at), call + 1, 85);
                }
            }

            var next = value[(at + 1)..].IndexOfAny(Quotes);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return default;
    }

    private static bool StartsChain(ReadOnlySpan<char> value, int quote)
    {
        var before = value[..quote].TrimEnd(' ');
        return before.IsEmpty || before[^1] != '.';
    }

    // Reads 'a' . "b" . 'c' from the quote at start; the end of the chain if it has two or more literals and they join
    // to a command function, else -1.
    private static int ReadJoined(ReadOnlySpan<char> value, int start)
    {
        Span<char> joined = stackalloc char[MaxJoined];
        var length = 0;
        var parts = 0;
        var i = start;
        while (i < value.Length && value[i] is '\'' or '"')
        {
            var quote = value[i++];
            while (i < value.Length && value[i] != quote)
            {
                if (length == MaxJoined || !(char.IsAsciiLetterOrDigit(value[i]) || value[i] == '_'))
                {
                    return -1;
                }

                joined[length++] = value[i++];
            }

            if (i >= value.Length)
            {
                return -1;
            }

            parts++;
            var end = ++i;
            i = SkipSpaces(value, i);
            if (i >= value.Length || value[i] != '.')
            {
                return parts >= 2 && PhpDynamicCalls.IsCommandFunction(joined[..length]) ? end : -1;
            }

            i = SkipSpaces(value, i + 1);
        }

        return -1;
    }

    // What the chain at `chain` is stored in: "$y = 'sys'.'tem'" names $y; "define('x', 'sys'.'tem')" and
    // "define('z', [['sys'.'tem']])" name the constant.
    private static bool AssignedName(ReadOnlySpan<char> value, int chain, out int start, out int end)
    {
        start = end = -1;
        var i = chain;
        var limit = Math.Max(0, chain - MaxSpaces);
        while (i > limit && value[i - 1] is ' ' or '[')
        {
            i--;
        }

        if (i == 0)
        {
            return false;
        }

        if (value[i - 1] == '=' && (i < 2 || value[i - 2] is not ('=' or '!' or '<' or '>')))
        {
            end = i - 1;
            while (end > limit && value[end - 1] == ' ')
            {
                end--;
            }

            start = end;
            while (start > 0 && end - start < MaxJoined && CodeText.IsIdentifierChar(value[start - 1]))
            {
                start--;
            }

            return start < end && value[start] == '$';
        }

        // define('x', ...: the constant's name is the literal before the comma.
        if (value[i - 1] != ',')
        {
            return false;
        }

        i--;
        while (i > limit && value[i - 1] == ' ')
        {
            i--;
        }

        if (i < 2 || value[i - 1] is not ('\'' or '"'))
        {
            return false;
        }

        end = i - 1;
        start = end;
        while (start > 0 && end - start < MaxJoined && CodeText.IsIdentifierChar(value[start - 1]))
        {
            start--;
        }

        var open = start - 1;
        var name = open > 0 ? value[Math.Max(0, open - 1 - MaxSpaces - 6)..(open - 1)].TrimEnd(' ') : [];
        return open >= 1 && start < end && value[open] is '\'' or '"' && value[open - 1] == '(' && name.EndsWith("define", StringComparison.OrdinalIgnoreCase);
    }

    // The '(' of a call through (name), after the chain: "($y)('uname')", "(x)/* c */('uname')", "(z)[0][0]('uname')";
    // or -1.
    private static int FindCallThrough(ReadOnlySpan<char> value, int from, ReadOnlySpan<char> name)
    {
        // Looked for close after the chain only, so a value of many assignments stays linear.
        value = value[..Math.Min(value.Length, from + MaxCallDistance)];
        var at = value[from..].IndexOf(name, StringComparison.OrdinalIgnoreCase);
        while (at >= 0)
        {
            var start = from + at;
            var before = value[from..start].TrimEnd(' ');
            var close = SkipSpaces(value, start + name.Length);
            if (!before.IsEmpty && before[^1] == '(' && close < value.Length && value[close] == ')')
            {
                var open = SkipIndexesAndComments(value, close + 1);
                if (open < value.Length && value[open] == '(')
                {
                    return open;
                }
            }

            var next = value[(start + 1)..].IndexOf(name, StringComparison.OrdinalIgnoreCase);
            at = next < 0 ? -1 : start + 1 - from + next;
        }

        return -1;
    }

    // Past spaces, index chains ([0][0]) and /* */ comments, each bounded.
    private static int SkipIndexesAndComments(ReadOnlySpan<char> value, int i)
    {
        for (var steps = 0; steps < 8 && i < value.Length; steps++)
        {
            i = SkipSpaces(value, i);
            if (i < value.Length && value[i] == '[')
            {
                var close = CodeText.ClosingBracket(value, i, '[', ']', MaxComment);
                if (close < 0)
                {
                    return i;
                }

                i = close + 1;
            }
            else if (CodeText.At(value, i, "/*"))
            {
                var close = value.Slice(i + 2, Math.Min(MaxComment, value.Length - i - 2)).IndexOf("*/", StringComparison.Ordinal);
                if (close < 0)
                {
                    return i;
                }

                i += close + 4;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    private static int SkipSpaces(ReadOnlySpan<char> value, int i)
    {
        var limit = Math.Min(value.Length, i + MaxSpaces);
        while (i < limit && value[i] == ' ')
        {
            i++;
        }

        return i;
    }
}
