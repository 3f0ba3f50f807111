using System.Buffers;
using Palisade.Detection.Findings;

namespace Palisade.Detection.Detectors.Rce;

/// <summary>
/// Values that are a bash expansion and nothing else: what a sender writes to learn whether a value reaches a shell
/// (a probe), or to build a command out of the shell's own state. Each has a syntax no text or template shares:
/// <list type="bullet">
/// <item>directory-stack tildes: <c>~+</c>, <c>~-</c>, <c>~+2</c>, <c>~0</c> (the current, previous or n-th directory);</item>
/// <item>history events: <c>!!</c>, <c>!1</c>, <c>!-1!-2</c> (re-running earlier commands);</item>
/// <item>legacy arithmetic: <c>$[2+2]</c>, <c>$[]</c>; a JSONPath index (<c>$[0]</c>, <c>$[*]</c>) has no operator;</item>
/// <item>parameter expansion with an operator: <c>${x#{}}</c>, <c>${PATH%/*}</c>, <c>${a:-b}</c>, <c>${p/a/b}</c>, as
/// templates never write (<c>${name}</c> stays clean);</item>
/// <item>process substitution running a known program: <c>&lt;(cat file)</c>, <c>&gt;(tee log)</c>.</item>
/// </list>
/// </summary>
internal static class ShellExpansions
{
    private const int WordBuffer = 64;

    private static readonly SearchValues<char> ArithmeticCharacters = SearchValues.Create("0123456789 +-/%<>=!&|^()");
    private static readonly SearchValues<char> ArithmeticOperators = SearchValues.Create("+-/%<>=&|^");

    public static bool TryFind(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        match = default;
        var start = value.IndexOfAnyExcept(" \t\r\n");
        if (start < 0)
        {
            return false;
        }

        var text = value[start..].TrimEnd(" \t\r\n");
        var reason = text[0] switch
        {
            '~' when IsDirectoryStackTilde(text) => RceReasons.ShellExpansion,
            '!' when IsHistoryEvents(text) => RceReasons.ShellExpansion,
            '$' when IsArithmetic(text) || IsParameterExpansion(text) => RceReasons.ShellExpansion,
            '<' or '>' when IsProcessSubstitution(text) => RceReasons.CommandSubstitution,
            _ => null,
        };
        if (reason is null)
        {
            return false;
        }

        match = new DetectorMatch(reason, start, text.Length, 70);
        return true;
    }

    // ~+ ~- ~+5 ~-1 ~0: a tilde, an optional sign and digits, nothing else.
    private static bool IsDirectoryStackTilde(ReadOnlySpan<char> text)
    {
        var rest = text[1..];
        if (rest.IsEmpty)
        {
            return false;
        }

        var signed = rest[0] is '+' or '-';
        var digits = signed ? rest[1..] : rest;
        return (signed || !digits.IsEmpty) && !digits.ContainsAnyExceptInRange('0', '9');
    }

    // !! !1 !-2, one or more in a row ("!-1!-2"); "!!!" or "!" alone are punctuation.
    private static bool IsHistoryEvents(ReadOnlySpan<char> text)
    {
        if (text.SequenceEqual("!!"))
        {
            return true;
        }

        var i = 0;
        var events = 0;
        while (i < text.Length)
        {
            if (text[i] != '!')
            {
                return false;
            }

            i++;
            if (i < text.Length && text[i] == '-')
            {
                i++;
            }

            var digits = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == digits)
            {
                return false;
            }

            events++;
        }

        return events > 0;
    }

    // $[] or $[2+2]: digits, blanks and arithmetic operators between the brackets, at least one operator unless empty.
    private static bool IsArithmetic(ReadOnlySpan<char> text)
    {
        if (text.Length < 3 || text[1] != '[' || text[^1] != ']')
        {
            return false;
        }

        var body = text[2..^1];
        return body.IsEmpty || (!body.ContainsAnyExcept(ArithmeticCharacters) && body.ContainsAny(ArithmeticOperators));
    }

    // ${name#...}, ${name%...}, ${name/...}, ${name:-...}, ${name:=...}, ${name:?...}, ${name:+...}, ${name^^}, ${name,,}.
    private static bool IsParameterExpansion(ReadOnlySpan<char> text)
    {
        if (text.Length < 5 || text[1] != '{' || text[^1] != '}')
        {
            return false;
        }

        var i = 2;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_'))
        {
            i++;
        }

        if (i == 2 || i >= text.Length - 1)
        {
            return false;
        }

        return text[i] is '#' or '%' or '/' or '^' or ','
            || (text[i] == ':' && i + 1 < text.Length && text[i + 1] is '-' or '=' or '?' or '+');
    }

    // <(cat file), >(tee log): the body starts with a program the detector knows and the parenthesis closes at the end.
    private static bool IsProcessSubstitution(ReadOnlySpan<char> text)
    {
        if (text.Length < 4 || text[1] != '(' || text[^1] != ')')
        {
            return false;
        }

        Span<char> word = stackalloc char[WordBuffer];
        var read = ShellWordReader.Read(text[..^1], 2, word);
        return read.Fits && ShellCommands.Classify(word[..read.Length]) != ShellCommandKind.Unknown;
    }
}
