namespace Palisade.Detection.Parsing;

/// <summary>Reads media types and their parameters (<c>multipart/form-data; boundary="x"</c>).</summary>
public static class ContentTypes
{
    /// <summary>The media type without parameters, trimmed (<c>application/json</c>).</summary>
    public static ReadOnlySpan<char> MediaType(ReadOnlySpan<char> contentType)
    {
        var semi = contentType.IndexOf(';');
        return (semi < 0 ? contentType : contentType[..semi]).Trim();
    }

    public static bool IsJson(ReadOnlySpan<char> contentType)
    {
        var media = MediaType(contentType);
        return media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
            || media.Equals("text/json", StringComparison.OrdinalIgnoreCase);
    }

    public static bool IsXml(ReadOnlySpan<char> contentType)
    {
        var media = MediaType(contentType);
        return media.Equals("application/xml", StringComparison.OrdinalIgnoreCase)
            || media.Equals("text/xml", StringComparison.OrdinalIgnoreCase)
            || media.EndsWith("+xml", StringComparison.OrdinalIgnoreCase);
    }

    public static bool IsForm(ReadOnlySpan<char> contentType) =>
        MediaType(contentType).Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    public static bool IsMultipart(ReadOnlySpan<char> contentType) =>
        MediaType(contentType).StartsWith("multipart/", StringComparison.OrdinalIgnoreCase);

    /// <summary>The value of a <c>;</c>-separated parameter (quotes removed), or null.</summary>
    public static string? GetParameter(string headerValue, string name)
    {
        ArgumentNullException.ThrowIfNull(headerValue);
        var rest = headerValue.AsSpan();
        var semi = rest.IndexOf(';');
        while (semi >= 0)
        {
            rest = rest[(semi + 1)..];
            var end = NextSeparator(rest);
            var parameter = rest[..end].Trim();
            var eq = parameter.IndexOf('=');
            if (eq > 0 && parameter[..eq].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                var value = parameter[(eq + 1)..].Trim();
                if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
                {
                    value = value[1..^1];
                }

                return value.ToString();
            }

            semi = end < rest.Length ? end : -1;
        }

        return null;
    }

    // A ';' inside a quoted parameter value does not end the parameter.
    private static int NextSeparator(ReadOnlySpan<char> s)
    {
        var quoted = false;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '"')
            {
                quoted = !quoted;
            }
            else if (s[i] == ';' && !quoted)
            {
                return i;
            }
        }

        return s.Length;
    }
}
