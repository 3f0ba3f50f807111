using Palisade.Detection.Points;

namespace Palisade.Detection.Parsing;

/// <summary>
/// Splits a <c>Cookie</c> header (<c>a=1; b="2"</c>) into <c>cookie.a</c>, <c>cookie.b</c>. Quotes around a value
/// are removed; values are visited as sent and, when they hold percent-escapes, decoded too (many
/// frameworks URL-encode cookie values).
/// </summary>
public static class CookieHeaderParser
{
    public static void Parse(ReadOnlySpan<char> header, IPointVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        var origin = new ValueOrigin(ValueSource.Cookie);
        var nameOrigin = origin with { IsName = true };
        while (!header.IsEmpty)
        {
            var semi = header.IndexOf(';');
            var pair = (semi < 0 ? header : header[..semi]).Trim();
            header = semi < 0 ? [] : header[(semi + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            var eq = pair.IndexOf('=');
            var name = (eq < 0 ? pair : pair[..eq]).Trim();
            var point = PointCache.Member(Point.Cookie, name);
            if (eq < 0 || !point.IsPlainName)
            {
                visitor.Visit(point.NameOf(), name, nameOrigin);
            }

            if (eq < 0)
            {
                continue;
            }

            var value = pair[(eq + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }

            visitor.Visit(point, value, origin);
        }
    }
}
