namespace Palisade.Detection.Detectors.Rce;

/// <summary>
/// Expands the first word of a value the way bash's brace expansion would, when it has one inside it:
/// <c>{l,-lh}s</c> is <c>ls -lhs</c>, <c>c{a,oun}t</c> is <c>cat count</c>. The first non-empty expansion is the
/// command word. Brace expansion inside a word is a way to write a program's name that no filter reads and no
/// person writes; a list at the start of the value (<c>{,ip,a}</c>) is read by the shell inspector itself.
/// </summary>
internal static class BraceExpansion
{
    private const int MaxWord = 64;

    private static readonly System.Buffers.SearchValues<char> ListStops = System.Buffers.SearchValues.Create("{$`\\'\"");

    private static readonly System.Buffers.SearchValues<char> AffixStops = System.Buffers.SearchValues.Create("{}$`\\'\"");

    /// <summary>
    /// Writes the command word the first word of <paramref name="value"/> expands to into <paramref name="text"/>
    /// and returns its length, or 0 when that word has no <c>prefix{a,b}suffix</c> with a prefix or a suffix.
    /// </summary>
    public static int FirstCommand(ReadOnlySpan<char> value, Span<char> text, out int wordEnd)
    {
        wordEnd = value.IndexOfAny(' ', '\t');
        wordEnd = wordEnd < 0 ? value.Length : wordEnd;
        var word = value[..wordEnd];
        var open = word.IndexOf('{');
        var close = open < 0 ? -1 : word[open..].IndexOf('}');
        if (open < 0 || close < 0 || word.Length > MaxWord)
        {
            return 0;
        }

        close += open;
        var prefix = word[..open];
        var suffix = word[(close + 1)..];
        var list = word[(open + 1)..close];
        if ((prefix.IsEmpty && suffix.IsEmpty) || list.IndexOf(',') < 0 || list.ContainsAny(ListStops))
        {
            return 0;
        }

        foreach (var range in list.Split(','))
        {
            var alternative = list[range];
            var length = prefix.Length + alternative.Length + suffix.Length;
            if (length == 0 || length > text.Length)
            {
                continue;
            }

            prefix.CopyTo(text);
            alternative.CopyTo(text[prefix.Length..]);
            suffix.CopyTo(text[(prefix.Length + alternative.Length)..]);
            return prefix.ContainsAny(AffixStops) || suffix.ContainsAny(AffixStops) ? 0 : length;
        }

        return 0;
    }
}
