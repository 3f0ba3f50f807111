namespace Palisade.Detection.Detectors.CodeInjection;

/// <summary>
/// PHP variable variables written with braces around a string or a variable: <c>${'ff'}</c>,
/// <c>$ {'_VAR'.'IABLE_NAME'}</c>, <c>$   {$a}</c>: PHP reads the variable whose name the expression evaluates to,
/// how payloads reach <c>$_GET</c> or a function name without writing it. Template literals and shells write
/// <c>${name}</c> with a bare name, so a bare name (<c>${HOME}</c>, <c>$ {amount}</c>) is never one of these; a string
/// or variable inside counts when space separates <c>$</c> from <c>{</c> (which no template language accepts) or
/// when the construct is the whole value.
/// </summary>
internal static class PhpVariableVariables
{
    // Spaces read between the parts; literals and names longer than a payload's are not read.
    private const int MaxSpaces = 32;
    private const int MaxLiteral = 64;
    private const int MaxParts = 8;

    public static CodeFinding Find(ReadOnlySpan<char> value)
    {
        var at = value.IndexOf('$');
        while (at >= 0)
        {
            var brace = SkipSpaces(value, at + 1);
            if (brace < value.Length && value[brace] == '{')
            {
                var close = ReadExpression(value, SkipSpaces(value, brace + 1));
                if (close > 0 && (brace > at + 1 || value.Trim().Length == value[at..(close + 1)].Length))
                {
                    return new CodeFinding("PHP variable variable", at, close + 1, 70);
                }
            }

            var next = value[(at + 1)..].IndexOf('$');
            at = next < 0 ? -1 : at + 1 + next;
        }

        return default;
    }

    // 'a' . "b" or $name, then spaces and '}': the position of the '}', or -1.
    private static int ReadExpression(ReadOnlySpan<char> value, int i)
    {
        if (i >= value.Length)
        {
            return -1;
        }

        if (value[i] == '$')
        {
            var end = i + 1 < value.Length && CodeText.IsIdentifierStart(value[i + 1]) && value[i + 1] != '$'
                ? CodeText.IdentifierEnd(value[..Math.Min(value.Length, i + 1 + MaxLiteral)], i + 1)
                : -1;
            return end < 0 ? -1 : Closing(value, end);
        }

        for (var parts = 0; parts < MaxParts && i < value.Length && value[i] is '\'' or '"'; parts++)
        {
            var quote = value[i];
            var length = value.Slice(i + 1, Math.Min(MaxLiteral, value.Length - i - 1)).IndexOf(quote);
            if (length < 0)
            {
                return -1;
            }

            i = SkipSpaces(value, i + 2 + length);
            if (i < value.Length && value[i] == '}')
            {
                return i;
            }

            if (i >= value.Length || value[i] != '.')
            {
                return -1;
            }

            i = SkipSpaces(value, i + 1);
        }

        return -1;
    }

    private static int Closing(ReadOnlySpan<char> value, int i)
    {
        i = SkipSpaces(value, i);
        return i < value.Length && value[i] == '}' ? i : -1;
    }

    private static int SkipSpaces(ReadOnlySpan<char> value, int i)
    {
        var limit = Math.Min(value.Length, i + MaxSpaces);
        while (i < limit && value[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }
}
