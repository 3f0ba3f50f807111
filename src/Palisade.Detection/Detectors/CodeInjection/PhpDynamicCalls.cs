using System.Collections.Frozen;

namespace Palisade.Detection.Detectors.CodeInjection;

/// <summary>
/// PHP calls whose function is computed rather than named, the way webshells hide <c>system</c> from a filter:
/// <list type="bullet">
/// <item>a variable function: <c>$$b(2)</c>, <c>${'a'}(11)</c>, <c>@$__[o](4)</c>, <c>$_aB_4c[5]['d'] /*x*/ (17)</c>,
/// <c>$a/*c*/()</c>. A plain <c>$name(</c> is left to the other checks (Vue's <c>$t('key')</c> is not PHP);
/// a variable variable, a braced name, an index or a comment before the parenthesis is PHP's own syntax.</item>
/// <item>a callable string: <c>('system')('id')</c>, <c>(sy.(st).em)(ls)</c>, <c>"sys"."tem" ('uname');</c>,
/// <c>[system][0](ls)</c>: a parenthesized, quoted or indexed expression whose words join to a function that runs
/// commands, called right after. With space before the call's parenthesis, the expression must show code (a
/// concatenation, a comment, a cast or index next to it): "(system) (OS)" and "'system' (noun)" are prose.</item>
/// </list>
/// Both scans are linear: each '(' is looked at once, and the walk back over what precedes it is bounded.
/// </summary>
internal static class PhpDynamicCalls
{
    private const int MaxCallee = 64;

    // The longest name in CommandFunctions (call_user_func_array) and a cast before it.
    private const int MaxJoined = 28;

    // The shortest name in CommandFunctions (exec).
    private const int MinJoined = 4;

    private static readonly FrozenSet<string> CommandFunctions = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
    [
        "system", "exec", "passthru", "shell_exec", "popen", "proc_open", "pcntl_exec", "assert", "phpinfo",
        "create_function", "call_user_func", "call_user_func_array",
    ]);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> CommandLookup =
        CommandFunctions.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Whether <paramref name="name"/> is a PHP function that runs commands or code (<c>system</c>, <c>assert</c>...).</summary>
    public static bool IsCommandFunction(ReadOnlySpan<char> name) => CommandLookup.Contains(name);

    public static CodeFinding Find(ReadOnlySpan<char> value)
    {
        var best = default(CodeFinding);
        if (value.Contains('$'))
        {
            best = FindVariableCall(value);
        }

        return best.Found ? best : FindCallableString(value);
    }

    private static CodeFinding FindVariableCall(ReadOnlySpan<char> value)
    {
        var at = value.IndexOf('$');
        while (at >= 0)
        {
            var end = ReadVariableCallee(value, at, out var phpSyntax);
            if (end > at)
            {
                var open = SkipSpacesAndComments(value, end, out var commented);
                var close = open < value.Length && value[open] == '(' && (phpSyntax || commented) ? ClosingParenthesis(value, open) : -1;
                if (close > open)
                {
                    var start = at > 0 && value[at - 1] == '@' ? at - 1 : at;
                    return new CodeFinding("PHP variable function call", start, close + 1, 85);
                }
            }

            // The next '$' after this run of them: a run was read whole from its first.
            var after = at;
            while (after < value.Length && value[after] == '$')
            {
                after++;
            }

            var next = value[after..].IndexOf('$');
            at = next < 0 ? -1 : after + next;
        }

        return default;
    }

    // $name, $$name, ${...}, then any chain of [..], {..} and ->name; the end of it, or -1. phpSyntax: the callee
    // used a variable variable, a braced name or an index (more than a plain $name).
    private static int ReadVariableCallee(ReadOnlySpan<char> value, int dollar, out bool phpSyntax)
    {
        var i = dollar;
        while (i < value.Length && value[i] == '$')
        {
            i++;
        }

        phpSyntax = i - dollar > 1;
        i = SkipSpaces(value, i);
        if (i < value.Length && value[i] == '{')
        {
            var close = CodeText.ClosingBracket(value, i, '{', '}', MaxCallee);
            if (close < 0)
            {
                return -1;
            }

            phpSyntax = true;
            i = close + 1;
        }
        else if (i < value.Length && IsNameStart(value[i]))
        {
            while (i < value.Length && IsNameChar(value[i]))
            {
                i++;
            }
        }
        else
        {
            return -1;
        }

        for (var links = 0; links < 8; links++)
        {
            var next = SkipSpacesAndComments(value, i, out _);
            if (next < value.Length && value[next] is '[' or '{')
            {
                var close = CodeText.ClosingBracket(value, next, value[next], value[next] == '[' ? ']' : '}', MaxCallee);
                if (close < 0)
                {
                    return -1;
                }

                phpSyntax = true;
                i = close + 1;
            }
            else if (next + 2 < value.Length && value[next] == '-' && value[next + 1] == '>' && IsNameStart(value[next + 2]))
            {
                i = next + 2;
                while (i < value.Length && IsNameChar(value[i]))
                {
                    i++;
                }
            }
            else
            {
                break;
            }
        }

        return i;
    }

    private static CodeFinding FindCallableString(ReadOnlySpan<char> value)
    {
        var open = value.IndexOf('(');
        while (open >= 0)
        {
            var finding = JudgeCallAt(value, open);
            if (finding.Found)
            {
                return finding;
            }

            var next = value[(open + 1)..].IndexOf('(');
            open = next < 0 ? -1 : open + 1 + next;
        }

        return default;
    }

    // The expression before the '(' at open: a parenthesized group, a string or an index chain, whose words join to
    // a command function.
    private static CodeFinding JudgeCallAt(ReadOnlySpan<char> value, int open)
    {
        var end = open;
        while (end > 0 && value[end - 1] is ' ' or '\t')
        {
            end--;
        }

        if (end == 0 || value[end - 1] is not (')' or ']' or '}' or '\'' or '"'))
        {
            return default;
        }

        if (!EndsLikeCommand(value, end))
        {
            return default;
        }

        var start = CalleeStart(value, end, out var parts);
        if (start < 0 || end - start > MaxCallee)
        {
            return default;
        }

        var callee = value[start..end];
        Span<char> joined = stackalloc char[MaxJoined];
        var length = 0;
        var code = parts > 1;
        var quoted = '\0';
        for (var i = 0; i < callee.Length; i++)
        {
            var c = callee[i];
            if (quoted != '\0')
            {
                if (c == quoted)
                {
                    quoted = '\0';
                }
                else if (IsNameChar(c))
                {
                    if (length == MaxJoined)
                    {
                        return default;
                    }

                    joined[length++] = c;
                }
                else if (c != ' ')
                {
                    return default;
                }

                continue;
            }

            if (c is '\'' or '"')
            {
                quoted = c;
            }
            else if (c == '/' && i + 1 < callee.Length && callee[i + 1] == '*')
            {
                var close = callee[(i + 2)..].IndexOf("*/", StringComparison.Ordinal);
                code = true;
                i = close < 0 ? callee.Length : i + close + 3;
            }
            else if (IsNameChar(c) && !(char.IsAsciiDigit(c) && (length == 0 || !IsNameChar(callee[i - 1]))))
            {
                if (length == MaxJoined)
                {
                    return default;
                }

                joined[length++] = c;
            }
            else if (c == '.')
            {
                code = true;
            }
        }

        // A cast names a type, not the function: "(string)'system'".
        var name = length < MinJoined ? [] : StripCast(joined[..length]);
        if (name.IsEmpty || (end < open && !code) || !CommandLookup.Contains(name))
        {
            return default;
        }

        var callEnd = ClosingParenthesis(value, open);
        return callEnd < 0 ? default : new CodeFinding("PHP function called through a computed name", start, callEnd + 1, 85);
    }

    // A cheap test before the callee is read whole: its last word (past an index such as [0]) ends a command
    // function's name, as "em" in (sy.(st).em) does and "abcdef" in (abcdef) does not.
    private static bool EndsLikeCommand(ReadOnlySpan<char> value, int end)
    {
        var i = end;
        for (var words = 0; words < 3; words++)
        {
            // Back over a few brackets, quotes and spaces ("]), "' ) {") and one comment ("/* x */0}").
            var limit = Math.Max(0, i - 8);
            var comments = 0;
            while (i > limit && !IsNameChar(value[i - 1]))
            {
                i--;
                if (i > 1 && value[i] == '/' && value[i - 1] == '*' && comments++ == 0)
                {
                    var opening = Window(value, Math.Max(0, i - MaxCallee), i - 1).LastIndexOf("/*", StringComparison.Ordinal);
                    if (opening < 0)
                    {
                        return false;
                    }

                    i = Math.Max(0, i - MaxCallee) + opening;
                    limit = Math.Max(0, i - 8);
                }
            }

            var wordEnd = i;
            limit = Math.Max(0, i - MaxJoined);
            while (i > limit && IsNameChar(value[i - 1]))
            {
                i--;
            }

            if (i == wordEnd)
            {
                return false;
            }

            var word = value[i..wordEnd];
            if (char.IsAsciiDigit(word[0]))
            {
                continue;
            }

            foreach (var name in CommandFunctions)
            {
                if (name.EndsWith(word, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        return false;
    }

    // Where the callee that ends at `end` starts: back over strings, brackets and the dots that join them.
    private static int CalleeStart(ReadOnlySpan<char> value, int end, out int parts)
    {
        var i = end;
        parts = 0;
        while (i > 0 && parts < 4 && end - i <= MaxCallee)
        {
            var c = value[i - 1];
            int start;
            if (c is '\'' or '"')
            {
                var window = Math.Max(0, i - 1 - MaxCallee);
                var quote = value[window..(i - 1)].LastIndexOf(c);
                start = quote < 0 ? -1 : window + quote;
            }
            else if (c is ')' or ']' or '}')
            {
                start = OpeningBefore(value, i - 1);
            }
            else if (c == '.' || c == ' ')
            {
                i--;
                continue;
            }
            else
            {
                break;
            }

            if (start < 0)
            {
                return -1;
            }

            i = start;
            parts++;
        }

        while (i < end && value[i] == ' ')
        {
            i++;
        }

        return parts == 0 ? -1 : i;
    }

    private static ReadOnlySpan<char> StripCast(ReadOnlySpan<char> name)
    {
        foreach (var cast in (ReadOnlySpan<string>)["string", "binary"])
        {
            if (name.Length > cast.Length && name.StartsWith(cast, StringComparison.OrdinalIgnoreCase))
            {
                return name[cast.Length..];
            }
        }

        return name;
    }

    // The bracket that opens the one closing at `close`, within MaxCallee characters, or -1.
    private static int OpeningBefore(ReadOnlySpan<char> value, int close)
    {
        var depth = 0;
        var limit = Math.Max(0, close - MaxCallee);
        for (var i = close; i >= limit; i--)
        {
            depth += value[i] switch
            {
                ')' or ']' or '}' => 1,
                '(' or '[' or '{' => -1,
                _ => 0,
            };
            if (depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static int ClosingParenthesis(ReadOnlySpan<char> value, int open) => CodeText.ClosingBracket(value, open, '(', ')', MaxCallee);

    private static int SkipSpaces(ReadOnlySpan<char> value, int i)
    {
        while (i < value.Length && value[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    // Spaces, line breaks and PHP comments (/* */, //, #); commented: one was skipped.
    private static int SkipSpacesAndComments(ReadOnlySpan<char> value, int i, out bool commented)
    {
        commented = false;
        while (i < value.Length)
        {
            var c = value[i];
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                i++;
            }
            else if (c == '/' && i + 1 < value.Length && value[i + 1] == '*'
                && Window(value, i + 2).IndexOf("*/", StringComparison.Ordinal) is >= 0 and var close)
            {
                commented = true;
                i += close + 4;
            }
            else if ((c == '#' || (c == '/' && i + 1 < value.Length && value[i + 1] == '/')) && Window(value, i).IndexOf('\n') is > 0 and var newline)
            {
                commented = true;
                i += newline + 1;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    // Comments are looked for within a bounded window, so a value full of openers stays linear.
    private static ReadOnlySpan<char> Window(ReadOnlySpan<char> value, int start) =>
        value.Slice(start, Math.Min(MaxCallee, value.Length - start));

    private static ReadOnlySpan<char> Window(ReadOnlySpan<char> value, int start, int end) => value[start..end];

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= 0x80;

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || c >= 0x80;
}
