using System.Text;
using Palisade.Detection.Points;

namespace Palisade.Detection.Parsing;

/// <summary>
/// Splits a <c>multipart/form-data</c> body into its parts: each part's value is visited as
/// <c>body.multipart.&lt;name&gt;</c> and its file name as <c>body.multipart.&lt;name&gt;.filename</c>.
/// Part values that are JSON are walked as JSON; binary parts (files with NUL bytes) are not visited as text.
/// An RFC 5987 <c>filename*=UTF-8''…</c> is decoded. Text before the first delimiter and after the last one, which
/// strict parsers ignore and lenient ones read as a part, is visited too (<c>!preamble</c>, <c>!epilogue</c>).
/// Tolerates LF-only line ends and a missing final delimiter (a truncated body).
/// </summary>
public static class MultipartBodyParser
{
    private const int MaxParts = 1000;

    /// <summary>Visits every part; false when no delimiter with this boundary was found.</summary>
    public static bool Parse(ReadOnlySpan<byte> body, string boundary, int maxJsonDepth, IPointVisitor visitor) =>
        Parse(body, boundary, maxJsonDepth, Point.BodyMultipart, visitor);

    /// <summary>Visits every part under <paramref name="root"/> (a decoded body); false when no delimiter was found.</summary>
    public static bool Parse(ReadOnlySpan<byte> body, string boundary, int maxJsonDepth, Point root, IPointVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(boundary);
        ArgumentNullException.ThrowIfNull(visitor);
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var start = body.IndexOf(delimiter);
        if (start < 0)
        {
            return false;
        }

        var origin = new ValueOrigin(ValueSource.Multipart);
        VisitOutside(body[..start], root.Key("!preamble"), origin, visitor);
        var rest = body[(start + delimiter.Length)..];
        for (var parts = 0; parts < MaxParts; parts++)
        {
            // "--" right after a delimiter closes the body.
            if (rest.StartsWith("--"u8))
            {
                VisitOutside(rest[2..], root.Key("!epilogue"), origin, visitor);
                break;
            }

            rest = SkipLineEnd(rest);
            var next = rest.IndexOf(delimiter);
            var part = next < 0 ? rest : TrimLineEnd(rest[..next]);
            VisitPart(part, parts, maxJsonDepth, root, origin, visitor);
            if (next < 0)
            {
                break;
            }

            rest = rest[(next + delimiter.Length)..];
        }

        return true;
    }

    /// <summary>The <c>boundary</c> parameter of a multipart content type, or null.</summary>
    public static string? GetBoundary(string contentType) =>
        ContentTypes.GetParameter(contentType, "boundary");

    private static void VisitPart(ReadOnlySpan<byte> part, int index, int maxJsonDepth, Point root, ValueOrigin origin, IPointVisitor visitor)
    {
        var headerEnd = FindHeaderEnd(part, out var separatorLength);
        var headers = headerEnd < 0 ? part : part[..headerEnd];
        var content = headerEnd < 0 ? [] : part[(headerEnd + separatorLength)..];

        string? name = null;
        string? fileName = null;
        string? extendedFileName = null;
        string? contentType = null;
        foreach (var line in Encoding.UTF8.GetString(headers).Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var headerName = line.AsSpan(0, colon).Trim();
            var headerValue = line[(colon + 1)..].Trim();
            if (headerName.Equals("content-disposition", StringComparison.OrdinalIgnoreCase))
            {
                name = ContentTypes.GetParameter(headerValue, "name");
                fileName = ContentTypes.GetParameter(headerValue, "filename");
                extendedFileName = ExtendedValue(ContentTypes.GetParameter(headerValue, "filename*"));
            }
            else if (headerName.Equals("content-type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = headerValue;
            }
        }

        var point = root.Key(name ?? index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (name is not null && !KeyNames.IsPlain(name))
        {
            visitor.Visit(point.NameOf(), name, origin with { IsName = true });
        }

        if (fileName is not null)
        {
            visitor.Visit(point.Key("filename"), fileName, origin with { IsFileName = true });
        }

        if (extendedFileName is not null)
        {
            visitor.Visit(point.Key("filename"), extendedFileName, origin with { IsFileName = true });
        }

        if (content.IsEmpty || content.Contains((byte)0))
        {
            return;
        }

        if (contentType is not null && ContentTypes.IsJson(contentType) && JsonBodyParser.LooksLikeJson(content)
            && JsonBodyParser.Parse(content, isPrefix: false, maxJsonDepth, point, visitor))
        {
            return;
        }

        visitor.Visit(point, PercentDecoder.Utf8ToText(content), fileName is null && extendedFileName is null ? origin : origin with { IsFileContent = true });
    }

    // Preamble and epilogue: ignored by strict parsers, read as part of a part by some lenient ones.
    private static void VisitOutside(ReadOnlySpan<byte> text, Point point, ValueOrigin origin, IPointVisitor visitor)
    {
        var trimmed = text.Trim(" \t\r\n"u8);
        if (!trimmed.IsEmpty && !trimmed.Contains((byte)0))
        {
            visitor.Visit(point, PercentDecoder.Utf8ToText(trimmed), origin);
        }
    }

    // RFC 5987 ext-value: charset'language'percent-encoded bytes (UTF-8 or ISO-8859-1 in practice).
    private static string? ExtendedValue(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var second = value.IndexOf('\'', value.IndexOf('\'', StringComparison.Ordinal) + 1);
        var encoded = second < 0 ? value : value[(second + 1)..];
        return PercentDecoder.Decode(encoded, plusAsSpace: false) ?? encoded;
    }

    private static int FindHeaderEnd(ReadOnlySpan<byte> part, out int separatorLength)
    {
        var crlf = part.IndexOf("\r\n\r\n"u8);
        var lf = part.IndexOf("\n\n"u8);
        if (crlf >= 0 && (lf < 0 || crlf <= lf))
        {
            separatorLength = 4;
            return crlf;
        }

        separatorLength = 2;
        return lf;
    }

    private static ReadOnlySpan<byte> SkipLineEnd(ReadOnlySpan<byte> s)
    {
        // Transport padding (spaces, tabs) may follow the delimiter before the line end.
        s = s.TrimStart(" \t"u8);
        if (s.StartsWith("\r\n"u8))
        {
            return s[2..];
        }

        return s.StartsWith("\n"u8) ? s[1..] : s;
    }

    private static ReadOnlySpan<byte> TrimLineEnd(ReadOnlySpan<byte> s)
    {
        if (s.EndsWith("\r\n"u8))
        {
            return s[..^2];
        }

        return s.EndsWith("\n"u8) ? s[..^1] : s;
    }
}
