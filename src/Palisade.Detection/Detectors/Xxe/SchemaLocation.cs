namespace Palisade.Detection.Detectors.Xxe;

/// <summary>
/// Finds an <c>xsi:schemaLocation</c> or <c>xsi:noNamespaceSchemaLocation</c> attribute that points a validating
/// parser at a schema on another host: the parser fetches it while reading the request (an out-of-band request
/// the sender chooses, like an external DTD). The W3C's own schemas, which parsers resolve from their catalogs,
/// and relative locations pass.
/// </summary>
internal static class SchemaLocation
{
    private const string Attribute = "SchemaLocation";

    public static DtdFinding Find(ReadOnlySpan<char> s)
    {
        for (var at = s.IndexOf(Attribute, StringComparison.OrdinalIgnoreCase); at >= 0;)
        {
            // The attribute is a prefixed "schemaLocation" or "noNamespaceSchemaLocation" (xsi:...).
            var nameStart = at >= 11 && s[(at - 11)..at].Equals("noNamespace", StringComparison.OrdinalIgnoreCase) ? at - 11 : at;
            var i = SkipSpaces(s, at + Attribute.Length);
            if (nameStart > 0 && s[nameStart - 1] == ':' && i < s.Length && s[i] == '=')
            {
                i = SkipSpaces(s, i + 1);
                if (i < s.Length && s[i] is '"' or '\'')
                {
                    var close = s[(i + 1)..].IndexOf(s[i]);
                    var literal = close < 0 ? s[(i + 1)..] : s.Slice(i + 1, close);
                    if (HasRemoteLocation(literal))
                    {
                        return new DtdFinding("schema location on a remote host", nameStart, i + 1 + literal.Length - nameStart);
                    }
                }
            }

            var next = s[(at + Attribute.Length)..].IndexOf(Attribute, StringComparison.OrdinalIgnoreCase);
            at = next < 0 ? -1 : at + Attribute.Length + next;
        }

        return default;
    }

    // The literal is a list of URIs (namespace, location pairs); a location is fetched when it is absolute.
    private static bool HasRemoteLocation(ReadOnlySpan<char> literal)
    {
        foreach (var range in literal.SplitAny(" \t\r\n"))
        {
            var uri = literal[range];
            var scheme = uri.IndexOf("://", StringComparison.Ordinal);
            if (scheme <= 0 || !IsFetchedScheme(uri[..scheme]))
            {
                continue;
            }

            var host = uri[(scheme + 3)..];
            var slash = host.IndexOfAny('/', '?', '#');
            host = slash < 0 ? host : host[..slash];

            // A namespace name (the first of each pair) is never fetched: only a location that names a file.
            var path = slash < 0 ? [] : uri[(scheme + 3 + slash)..];
            if (!host.Equals("www.w3.org", StringComparison.OrdinalIgnoreCase) && path.Contains('.'))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsFetchedScheme(ReadOnlySpan<char> scheme) =>
        scheme.Equals("http", StringComparison.OrdinalIgnoreCase) || scheme.Equals("https", StringComparison.OrdinalIgnoreCase)
        || scheme.Equals("ftp", StringComparison.OrdinalIgnoreCase) || scheme.Equals("file", StringComparison.OrdinalIgnoreCase);

    private static int SkipSpaces(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t' or '\r' or '\n')
        {
            i++;
        }

        return i;
    }
}
