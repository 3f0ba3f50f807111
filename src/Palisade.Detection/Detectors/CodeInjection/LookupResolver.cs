namespace Palisade.Detection.Detectors.CodeInjection;

/// <summary>
/// Resolves Log4j lookups the way Log4j does before it acts on them: a nested lookup with a default
/// (<c>${::-j}</c>, <c>${env:X:-j}</c>) becomes its default, <c>${lower:J}</c> its argument, an unknown lookup
/// nothing; a lookup that resolves to <c>jndi:</c> is the attack. <c>$</c> and <c>{</c> are also read in the
/// encodings Log4Shell payloads hide them in (<c>&amp;#36;</c>, <c>&amp;lbrace;</c>, <c>\u007B</c>), including
/// the named entity without its semicolon (<c>$&amp;lbracejndi:</c>), which lenient entity decoders accept.
/// </summary>
internal static class LookupResolver
{
    // Payloads are short; resolving stops after this many characters of output or this depth of nesting.
    private const int MaxOutput = 1024;
    private const int MaxDepth = 32;

    private static readonly System.Buffers.SearchValues<char> LookupStarts = System.Buffers.SearchValues.Create("$&\\");

    public static CodeFinding Find(ReadOnlySpan<char> value)
    {
        var first = FindDollar(value, 0);
        if (first < 0)
        {
            return default;
        }

        Span<char> output = stackalloc char[MaxOutput];
        Span<int> marks = stackalloc int[MaxDepth];
        var length = 0;
        var depth = 0;
        var i = first;
        while (i < value.Length && length < MaxOutput - 8)
        {
            if (depth < MaxDepth && ReadOpen(value, i) is var open && open > 0)
            {
                marks[depth++] = length;
                i += open;
                continue;
            }

            if (value[i] == '}' && depth > 0)
            {
                var mark = marks[--depth];
                var body = output[mark..length];
                if (CodeText.At(body, 0, "jndi:"))
                {
                    return new CodeFinding("Log4j JNDI lookup", first, i + 1, 95);
                }

                length = mark + Resolve(body, output[mark..]);
                i++;
                continue;
            }

            output[length++] = value[i++];
        }

        // A lookup assembled from the pieces others resolved to: $${env:x:-$}{jndi:...}.
        var resolved = output[..length];
        var jndi = resolved.IndexOf("{jndi:", StringComparison.OrdinalIgnoreCase);
        return jndi > 0 && resolved[jndi - 1] == '$' ? new CodeFinding("Log4j JNDI lookup", first, value.Length, 90) : default;
    }

    // Writes what the lookup body resolves to at the start of destination (which overlaps the body) and returns its length.
    private static int Resolve(Span<char> body, Span<char> destination)
    {
        var fallback = body.IndexOf(":-");
        if (fallback >= 0)
        {
            body[(fallback + 2)..].CopyTo(destination);
            return body.Length - fallback - 2;
        }

        if (CodeText.At(body, 0, "lower:") || CodeText.At(body, 0, "upper:"))
        {
            body[6..].CopyTo(destination);
            return body.Length - 6;
        }

        // ${env:X}, ${sys:x}, ${date:j}: an unknown value; Log4j would leave the lookup, which cannot spell anything.
        return 0;
    }

    private static int FindDollar(ReadOnlySpan<char> value, int start)
    {
        for (var i = start; i < value.Length; i++)
        {
            // A lookup opens only at '$' or at the '&' or '\' of an encoded one: skip to the next of those.
            var skip = value[i..].IndexOfAny(LookupStarts);
            if (skip < 0)
            {
                return -1;
            }

            i += skip;
            if (ReadOpen(value, i) > 0)
            {
                return i;
            }
        }

        return -1;
    }

    // The length of "${" at i, in any of its encodings, or 0.
    private static int ReadOpen(ReadOnlySpan<char> value, int i)
    {
        var dollar = ReadEncoded(value, i, '$', "&#36;", "\\u0024", "&dollar;");
        if (dollar == 0)
        {
            return 0;
        }

        var brace = ReadEncoded(value, i + dollar, '{', "&#123;", "&#x7b;", "\\u007b", "&lbrace;", "\\u0026#123;", "\\u0026lbrace;", "&lbrace", "\\u0026lbrace");
        return brace == 0 ? 0 : dollar + brace;
    }

    private static int ReadEncoded(ReadOnlySpan<char> value, int i, char plain, params ReadOnlySpan<string> encodings)
    {
        if (i >= value.Length)
        {
            return 0;
        }

        if (value[i] == plain)
        {
            return 1;
        }

        if (value[i] is not ('&' or '\\'))
        {
            return 0;
        }

        foreach (var encoding in encodings)
        {
            if (CodeText.At(value, i, encoding))
            {
                return encoding.Length;
            }
        }

        return 0;
    }
}
