namespace Palisade.Detection.Detectors.Xxe;

/// <summary>
/// A small reader of the XML markup declarations an XXE attack is made of: it finds each <c>&lt;!DOCTYPE</c> and
/// <c>&lt;!ENTITY</c> in one forward pass, reads the declaration's words and quoted literals up to its closing
/// <c>&gt;</c>, and reports the first dangerous one. XInclude elements are found the same way. Linear in the
/// value: every declaration is read once and the pass never goes back.
/// </summary>
internal static class DtdReader
{
    // An entity whose replacement text names this many entities is an expansion bomb.
    private const int BombReferences = 3;

    public static DtdFinding Read(ReadOnlySpan<char> s)
    {
        // Where each quote occurs last: a literal opened after it has no end, known without searching for one.
        var lastQuotes = (Double: s.LastIndexOf('"'), Single: s.LastIndexOf('\''));
        var i = 0;
        while (i < s.Length)
        {
            var lt = s[i..].IndexOf('<');
            if (lt < 0)
            {
                break;
            }

            i += lt;
            var rest = s[i..];
            if (rest.StartsWith("<!DOCTYPE", StringComparison.OrdinalIgnoreCase))
            {
                var end = Doctype(s, i + 9, lastQuotes, out var reason);
                if (reason is not null)
                {
                    return new DtdFinding(reason, i, end - i);
                }
            }
            else if (rest.StartsWith("<!ENTITY", StringComparison.OrdinalIgnoreCase))
            {
                var end = Entity(s, i + 8, lastQuotes, out var reason);
                if (reason is not null)
                {
                    return new DtdFinding(reason, i, end - i);
                }
            }
            else if (IsXInclude(rest, out var length))
            {
                return new DtdFinding("XInclude of an external resource", i, length);
            }

            i++;
        }

        return default;
    }

    /// <summary>
    /// An entity declaration whose '&lt;' was cut off or stripped by a filter (<c>!ENTITY % x SYSTEM "..."</c>), as
    /// probes send it: only the external and parameter entities count, which nothing but a DTD writes.
    /// </summary>
    public static DtdFinding ReadBareEntity(ReadOnlySpan<char> s)
    {
        var lastQuotes = (Double: s.LastIndexOf('"'), Single: s.LastIndexOf('\''));
        for (var at = s.IndexOf("!ENTITY", StringComparison.OrdinalIgnoreCase); at >= 0;)
        {
            if ((at == 0 || s[at - 1] != '<') && at + 7 < s.Length && s[at + 7] is ' ' or '\t' or '\r' or '\n')
            {
                var end = Entity(s, at + 7, lastQuotes, out var reason);
                if (reason is "external entity" or "external parameter entity" or "parameter entity")
                {
                    return new DtdFinding(reason, at, end - at);
                }
            }

            var next = s[(at + 7)..].IndexOf("!ENTITY", StringComparison.OrdinalIgnoreCase);
            at = next < 0 ? -1 : at + 7 + next;
        }

        return default;
    }

    // <!DOCTYPE name [SYSTEM "uri" | PUBLIC "id" "uri"] [ ... ]>: an external DTD other than the W3C's.
    private static int Doctype(ReadOnlySpan<char> s, int i, (int Double, int Single) lastQuotes, out string? reason)
    {
        reason = null;
        i = Word(s, SkipSpaces(s, i), out _);
        i = Word(s, SkipSpaces(s, i), out var keyword);
        if (keyword.Equals("SYSTEM", StringComparison.OrdinalIgnoreCase) || keyword.Equals("PUBLIC", StringComparison.OrdinalIgnoreCase))
        {
            var isPublic = keyword[0] is 'P' or 'p';
            i = Literal(s, SkipSpaces(s, i), lastQuotes, out var first);
            var uri = first;
            var publicId = ReadOnlySpan<char>.Empty;
            if (isPublic)
            {
                publicId = first;
                i = Literal(s, SkipSpaces(s, i), lastQuotes, out uri);
            }

            if (!IsW3cDtd(publicId, uri))
            {
                reason = "external DTD";
                return i;
            }
        }

        return i;
    }

    // <!ENTITY [%] name (SYSTEM "uri" | PUBLIC "id" "uri" | "value")>
    private static int Entity(ReadOnlySpan<char> s, int i, (int Double, int Single) lastQuotes, out string? reason)
    {
        reason = null;
        i = SkipSpaces(s, i);
        var parameter = i < s.Length && s[i] == '%';
        if (parameter)
        {
            i = SkipSpaces(s, i + 1);
        }

        i = Word(s, i, out _);
        i = SkipSpaces(s, i);
        if (i < s.Length && s[i] is '"' or '\'')
        {
            i = Literal(s, i, lastQuotes, out var replacement);
            if (parameter)
            {
                reason = "parameter entity";
            }
            else if (CountReferences(replacement) >= BombReferences)
            {
                reason = "entity expansion";
            }
            else if (replacement.Contains('%') && replacement.Contains(';') || replacement.Contains("<!ENTITY", StringComparison.OrdinalIgnoreCase))
            {
                reason = "parameter entity";
            }
            else
            {
                // An internal entity is how XXE is probed for: does the parser expand what the request declares?
                reason = "entity declaration";
            }

            return i;
        }

        i = Word(s, i, out var keyword);
        if (keyword.Equals("SYSTEM", StringComparison.OrdinalIgnoreCase) || keyword.Equals("PUBLIC", StringComparison.OrdinalIgnoreCase))
        {
            reason = parameter ? "external parameter entity" : "external entity";
        }
        else if (parameter)
        {
            reason = "parameter entity";
        }

        return i;
    }

    private static int CountReferences(ReadOnlySpan<char> text)
    {
        var count = 0;
        var amp = 0;
        while (amp < text.Length && (amp = text[amp..].IndexOf('&') is var at and >= 0 ? amp + at : -1) >= 0)
        {
            var semi = text[amp..Math.Min(text.Length, amp + 64)].IndexOf(';');
            if (semi > 1 && semi < 64 && text[amp + 1] != '#')
            {
                count++;
            }

            amp++;
        }

        return count;
    }

    // <xi:include href=...> or any element in the XInclude namespace.
    private static bool IsXInclude(ReadOnlySpan<char> rest, out int length)
    {
        length = 0;
        var name = rest[1..];

        // The prefix is short: look for its colon in the first 17 characters only, or "<<<<..." goes quadratic.
        var colon = name[..Math.Min(name.Length, 17)].IndexOf(':');
        if (colon <= 0 || colon > 16)
        {
            return false;
        }

        var local = name[(colon + 1)..];
        if (!local.StartsWith("include", StringComparison.OrdinalIgnoreCase) || local.Length == 7 || char.IsAsciiLetterOrDigit(local[7]))
        {
            return false;
        }

        for (var k = 0; k < colon; k++)
        {
            if (!char.IsAsciiLetterOrDigit(name[k]))
            {
                return false;
            }
        }

        length = colon + 9;
        return true;
    }

    private static bool IsW3cDtd(ReadOnlySpan<char> publicId, ReadOnlySpan<char> uri) =>
        publicId.StartsWith("-//W3C//", StringComparison.OrdinalIgnoreCase)
        && (uri.IsEmpty || uri.StartsWith("http://www.w3.org/", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("https://www.w3.org/", StringComparison.OrdinalIgnoreCase));

    private static int SkipSpaces(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i]))
        {
            i++;
        }

        return i;
    }

    private static int Word(ReadOnlySpan<char> s, int i, out ReadOnlySpan<char> word)
    {
        var start = i;
        while (i < s.Length && i - start < 256 && !char.IsWhiteSpace(s[i]) && s[i] is not ('>' or '[' or '"' or '\''))
        {
            i++;
        }

        word = s[start..i];
        return i;
    }

    private static int Literal(ReadOnlySpan<char> s, int i, (int Double, int Single) lastQuotes, out ReadOnlySpan<char> text)
    {
        text = default;
        if (i >= s.Length || s[i] is not ('"' or '\''))
        {
            return i;
        }

        var last = s[i] == '"' ? lastQuotes.Double : lastQuotes.Single;
        var close = last > i ? s[(i + 1)..].IndexOf(s[i]) : -1;
        var end = close < 0 ? s.Length : i + 1 + close;
        text = s[(i + 1)..end];
        return Math.Min(end + 1, s.Length);
    }
}
