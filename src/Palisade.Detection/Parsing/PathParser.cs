using Palisade.Detection.Points;

namespace Palisade.Detection.Parsing;

/// <summary>
/// Visits the raw path whole as <c>path</c> (unless it is just <c>/</c>; what path-level detectors judge: traversal, probes for
/// sensitive files) and then its segments, <c>path.0</c>, <c>path.1</c>, ..., each as sent (the engine
/// decodes escapes). Empty segments (from <c>//</c>) keep their index but are not visited, and plain segments
/// (identifier characters only) are left to the whole-path point.
/// </summary>
public static class PathParser
{
    public static void Parse(ReadOnlySpan<char> rawPath, IPointVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        var origin = new ValueOrigin(ValueSource.Path);
        if (rawPath.Length > 1)
        {
            visitor.Visit(Point.Path, rawPath, origin);
        }

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
