using System.Text;
using Palisade.Detection.Points;

namespace Palisade.Detection.Findings;

/// <summary>
/// Cuts the short excerpt a finding carries: at most <see cref="MaxLength"/> characters around the match,
/// control characters shown as <c>?</c>. In a point that holds a secret the excerpt is replaced by its
/// length only, so a password or token never leaves the node.
/// </summary>
public static class EvidenceFormatter
{
    public const int MaxLength = 80;

    public static string Format(ReadOnlySpan<char> value, DetectorMatch match, bool secret)
    {
        if (secret)
        {
            return $"[masked: {value.Length} chars]";
        }

        var start = Math.Clamp(match.Start, 0, value.Length);
        var length = Math.Clamp(match.Length, 0, value.Length - start);
        if (length > MaxLength)
        {
            length = MaxLength;
        }
        else
        {
            // Widen the window around a short match to give it context.
            var extra = Math.Min(MaxLength - length, 24);
            var before = Math.Min(start, extra / 2);
            start -= before;
            length = Math.Min(value.Length - start, length + extra);
        }

        var sb = new StringBuilder(length + 2);
        if (start > 0)
        {
            sb.Append('…');
        }

        foreach (var c in value.Slice(start, length))
        {
            sb.Append(char.IsControl(c) ? '?' : c);
        }

        if (start + length < value.Length)
        {
            sb.Append('…');
        }

        return sb.ToString();
    }

    /// <summary>True when the value at this point must be masked in anything that leaves the node.</summary>
    public static bool IsSecretPoint(Point point)
    {
        ArgumentNullException.ThrowIfNull(point);
        var root = point.RootPoint;
        if (ReferenceEquals(root, Point.Cookie))
        {
            return true;
        }

        if (ReferenceEquals(root, Point.Header))
        {
            // header.<name>: the first key below the root is the header name.
            var p = point;
            while (p.Parent is not null && !ReferenceEquals(p.Parent, Point.Header))
            {
                p = p.Parent;
            }

            return SecretNames.IsSecretHeader(p.Segment) || point.HasKeyInPath(SecretNames.IsSecretKey);
        }

        return point.HasKeyInPath(SecretNames.IsSecretKey);
    }
}
