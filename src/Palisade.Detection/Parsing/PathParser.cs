using Palisade.Detection.Points;

namespace Palisade.Detection.Parsing;

/// <summary>
/// Splits the raw path into its segments, <c>path.0</c>, <c>path.1</c>, ..., each visited as sent (the
/// engine decodes escapes). Empty segments (from <c>//</c>) keep their index but are not visited.
/// </summary>
public static class PathParser
{
    public static void Parse(ReadOnlySpan<char> rawPath, IPointVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        var origin = new ValueOrigin(ValueSource.Path);
        if (!rawPath.IsEmpty && rawPath[0] == '/')
        {
            rawPath = rawPath[1..];
        }

        var index = 0;
        while (true)
        {
            var slash = rawPath.IndexOf('/');
            var segment = slash < 0 ? rawPath : rawPath[..slash];
            if (!segment.IsEmpty && !KeyNames.IsPlain(segment))
            {
                visitor.Visit(Point.Path.Index(index), segment, origin);
            }

            if (slash < 0)
            {
                break;
            }

            rawPath = rawPath[(slash + 1)..];
            index++;
        }
    }
}
