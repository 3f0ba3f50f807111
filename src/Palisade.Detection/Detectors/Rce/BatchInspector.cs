using Palisade.Detection.Findings;

namespace Palisade.Detection.Detectors.Rce;

/// <summary>
/// Windows <c>cmd</c> control statements a value can only be as a batch command: <c>FOR [/D|/R|/L|/F] %v IN (...) DO
/// ...</c> and <c>IF [/I] [NOT] EXIST|DEFINED|ERRORLEVEL ...</c> or <c>IF a==b</c> / <c>IF a GEQ b</c>. Read at the
/// start of the value (after blanks, <c>&amp; | ;</c> and <c>@</c>), each with forward scans only.
/// </summary>
internal static class BatchInspector
{
    private const int LongestOperand = 64;

    // FOR's set: a file list, a command in quotes, a range; longer sets are not read to their end.
    private const int LongestSet = 512;

    public static bool TryFind(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        match = default;
        var start = 0;
        while (start < value.Length && value[start] is ' ' or '\t' or '&' or '|' or ';' or '@')
        {
            start++;
        }

        var rest = value[start..];
        var found = rest.Length > 3 && (IsKeyword(rest, "for") ? IsFor(rest[3..]) : IsKeyword(rest, "if") && IsIf(rest[2..]));
        if (found)
        {
            match = new DetectorMatch(RceReasons.BatchControl, start, value.Length - start, 80);
        }

        return found;
    }

    private static bool IsKeyword(ReadOnlySpan<char> rest, string keyword) =>
        rest.StartsWith(keyword, StringComparison.OrdinalIgnoreCase) && rest.Length > keyword.Length && rest[keyword.Length] is ' ' or '\t' or '/';

    // FOR: an option or a %variable next, then "IN (" ... ")" and "DO".
    private static bool IsFor(ReadOnlySpan<char> rest)
    {
        var body = rest.TrimStart(" \t");
        if (body.Length == 0 || body[0] is not ('/' or '%'))
        {
            return false;
        }

        var variable = body.IndexOf('%');
        if (variable < 0)
        {
            return false;
        }

        var tail = body[variable..];
        var inAt = IndexOfWord(tail, "in");
        if (inAt < 0)
        {
            return false;
        }

        var set = tail[(inAt + 2)..].TrimStart(" \t");
        if (set.Length == 0 || set[0] != '(')
        {
            return false;
        }

        // The set's own closing parenthesis: DO's command may bring parentheses of its own, DO (md C:\x\%G).
        var close = ClosingParenthesis(set);
        if (close < 0)
        {
            return false;
        }

        var after = set[(close + 1)..].TrimStart(" \t");
        return after.StartsWith("do", StringComparison.OrdinalIgnoreCase) && (after.Length == 2 || after[2] is ' ' or '\t' or '(' or '@');
    }

    // IF [/I] [NOT] then EXIST/DEFINED/ERRORLEVEL/CMDEXTVERSION, or an operand followed by == or a comparison word.
    private static bool IsIf(ReadOnlySpan<char> rest)
    {
        var body = rest.TrimStart(" \t");
        body = SkipWord(body, "/i");
        body = SkipWord(body, "not");
        if (StartsWithWord(body, "exist") || StartsWithWord(body, "defined") || StartsWithWord(body, "errorlevel")
            || StartsWithWord(body, "cmdextversion"))
        {
            return true;
        }

        if (body.Length > 0 && body[0] == '(')
        {
            // IF (2 GEQ 15): only a comparison word inside parentheses, never '==' ("if (a == b)" is C-like code).
            var inner = body[1..];
            var operand = OperandLength(inner);
            return operand > 0 && IsComparisonWord(inner[operand..].TrimStart(" \t"));
        }

        var length = OperandLength(body);
        if (length <= 0)
        {
            return false;
        }

        var next = body[length..];
        var trimmed = next.TrimStart(" \t");
        return trimmed.StartsWith("==", StringComparison.Ordinal) || (trimmed.Length < next.Length && IsComparisonWord(trimmed));
    }

    private static bool IsComparisonWord(ReadOnlySpan<char> text) =>
        text.Length > 4 && text[3] is ' ' or '\t'
        && (text.StartsWith("equ", StringComparison.OrdinalIgnoreCase) || text.StartsWith("neq", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("lss", StringComparison.OrdinalIgnoreCase) || text.StartsWith("leq", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("gtr", StringComparison.OrdinalIgnoreCase) || text.StartsWith("geq", StringComparison.OrdinalIgnoreCase));

    // A quoted string, a parenthesized group or a run up to a blank or '='.
    private static int OperandLength(ReadOnlySpan<char> text)
    {
        if (text.Length == 0)
        {
            return -1;
        }

        if (text[0] is '"' or '(')
        {
            var close = text[1..].IndexOf(text[0] == '"' ? '"' : ')');
            return close < 0 || close > LongestOperand ? -1 : close + 2;
        }

        var end = text.IndexOfAny(" \t=");
        if (end < 0)
        {
            return -1;
        }

        return end is > 0 and <= LongestOperand ? end : -1;
    }

    // The ')' that closes the '(' text starts with, within LongestSet characters, or -1.
    private static int ClosingParenthesis(ReadOnlySpan<char> text)
    {
        var depth = 0;
        var limit = Math.Min(text.Length, LongestSet);
        for (var i = 0; i < limit; i++)
        {
            if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')' && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static ReadOnlySpan<char> SkipWord(ReadOnlySpan<char> text, string word) =>
        StartsWithWord(text, word) ? text[word.Length..].TrimStart(" \t") : text;

    private static bool StartsWithWord(ReadOnlySpan<char> text, string word) =>
        text.StartsWith(word, StringComparison.OrdinalIgnoreCase) && text.Length > word.Length && text[word.Length] is ' ' or '\t';

    // The first "in" that stands as a word (blanks or an opening parenthesis around it).
    private static int IndexOfWord(ReadOnlySpan<char> text, string word)
    {
        var offset = 0;
        while (offset < text.Length)
        {
            var at = text[offset..].IndexOf(word, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return -1;
            }

            var index = offset + at;
            var before = index > 0 ? text[index - 1] : ' ';
            var after = index + word.Length < text.Length ? text[index + word.Length] : ' ';
            if (before is ' ' or '\t' && after is ' ' or '\t' or '(')
            {
                return index;
            }

            offset = index + 1;
        }

        return -1;
    }
}
