namespace Palisade.Detection.Detectors.Rce;

/// <summary>
/// The shell fork bomb: a function that pipes or backgrounds calls of itself, <c>:(){ :|:&amp; };:</c>,
/// <c>f(){ f|f&amp; };f</c>. Code that merely defines a function (<c>function f() { a || b }</c>) does not call itself.
/// </summary>
internal static class ForkBomb
{
    private const int LongestName = 32;
    private const int BodyWindow = 64;

    /// <summary>Index of a self-calling function definition, or -1.</summary>
    public static int IndexIn(ReadOnlySpan<char> value)
    {
        var offset = 0;
        while (offset < value.Length)
        {
            var at = value[offset..].IndexOf("()", StringComparison.Ordinal);
            if (at < 0)
            {
                return -1;
            }

            var parens = offset + at;
            offset = parens + 2;
            var start = parens;
            while (start > 0 && parens - start < LongestName && IsNameChar(value[start - 1]))
            {
                start--;
            }

            if (start == parens)
            {
                continue;
            }

            var body = value[offset..].TrimStart(" \t");
            if (body.Length == 0 || body[0] != '{')
            {
                continue;
            }

            var window = body[1..Math.Min(body.Length, BodyWindow)];
            if (CallsItselfInParallel(window, value[start..parens]))
            {
                return start;
            }
        }

        return -1;
    }

    // The body holds "name" followed (after blanks or "()") by a single '|' or '&' and the name again.
    private static bool CallsItselfInParallel(ReadOnlySpan<char> body, ReadOnlySpan<char> name)
    {
        var trimmed = body.TrimStart(" \t");
        if (!trimmed.StartsWith(name, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = trimmed[name.Length..];
        if (rest.StartsWith("()", StringComparison.Ordinal))
        {
            rest = rest[2..];
        }

        rest = rest.TrimStart(" \t");
        if (rest.Length < 2 || rest[0] is not ('|' or '&') || rest[1] == rest[0])
        {
            return false;
        }

        return rest[1..].TrimStart(" \t").StartsWith(name, StringComparison.Ordinal);
    }

    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or ':' or '.' or '-';
}
