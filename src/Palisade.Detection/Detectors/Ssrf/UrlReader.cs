namespace Palisade.Detection.Detectors.Ssrf;

/// <summary>
/// The pieces of a URL a server-side fetcher acts on, read without allocating: the scheme at the start of a
/// value, and the host as a strict (WHATWG) parser and as a lenient one read it. The two readings differ exactly
/// where parser-confusion payloads live: a backslash, a <c>#</c> or <c>?</c> before an <c>@</c>.
/// </summary>
public static class UrlReader
{
    private const int MaxSchemeChars = 16;

    /// <summary>
    /// The length of the scheme at the start of <paramref name="value"/> (letters, digits, <c>+ - . _</c>, starting
    /// with a letter, followed by a colon); 0 when the value does not start with one.
    /// </summary>
    public static int SchemeLength(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || !char.IsAsciiLetter(value[0]))
        {
            return 0;
        }

        for (var i = 1; i < value.Length && i <= MaxSchemeChars; i++)
        {
            var c = value[i];
            if (c == ':')
            {
                return i;
            }

            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.' or '_'))
            {
                return 0;
            }
        }

        return 0;
    }

    /// <summary>
    /// The host (with port) a strict parser finds in <paramref name="rest"/>, the text after <c>scheme:</c>:
    /// slashes and backslashes skipped, the authority ending at <c>/ \ ? #</c>, the host after its last <c>@</c>.
    /// </summary>
    public static ReadOnlySpan<char> StrictHost(ReadOnlySpan<char> rest, out int hostStart)
    {
        var start = SkipSlashes(rest);
        var end = rest[start..].IndexOfAny("/\\?#");
        var authority = end < 0 ? rest[start..] : rest[start..(start + end)];
        var at = authority.LastIndexOf('@');
        hostStart = start + at + 1;
        return authority[(at + 1)..];
    }

    /// <summary>
    /// The host a lenient parser finds: the authority runs to the first <c>/</c> or <c>?</c> only, so a backslash,
    /// <c>#</c>, space or stray <c>@</c> before the real host does not end it.
    /// </summary>
    public static ReadOnlySpan<char> LenientHost(ReadOnlySpan<char> rest, out int authorityEnd)
    {
        var start = SkipSlashes(rest);
        var end = rest[start..].IndexOfAny('/', '?');
        authorityEnd = end < 0 ? rest.Length : start + end;
        var authority = rest[start..authorityEnd];
        var at = authority.LastIndexOf('@');
        var host = authority[(at + 1)..].Trim();
        var space = host.IndexOfAny(' ', '#');
        return space < 0 ? host : host[..space];
    }

    /// <summary>How many slashes and backslashes <paramref name="rest"/> starts with.</summary>
    public static int SkipSlashes(ReadOnlySpan<char> rest)
    {
        var i = 0;
        while (i < rest.Length && rest[i] is '/' or '\\')
        {
            i++;
        }

        return i;
    }
}
