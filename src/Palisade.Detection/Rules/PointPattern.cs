using Palisade.Detection.Points;

namespace Palisade.Detection.Rules;

/// <summary>
/// Which points a rule speaks of, written as point paths with globs: <c>body.json.comment</c>,
/// <c>query.*</c>, <c>header.x-*</c>, <c>body.json.**</c>. <c>*</c> stays inside one segment (it never crosses
/// a <c>.</c> or a <c>|</c>), <c>**</c> crosses any. A pattern also covers what was decoded or parsed out of a
/// point it matches: <c>query.data</c> covers <c>query.data|base64|json.cmd</c>. Point names are case-sensitive,
/// as the application reads them; header names are lower case.
/// </summary>
public sealed class PointPattern
{
    private static readonly char[] Separators = ['.', '|'];
    private static readonly char[] Boundaries = ['.', '|', '#', '['];

    private PointPattern(string text) => Text = text;

    public string Text { get; }

    /// <summary>Reads a pattern; null with a reason when it cannot name any point.</summary>
    public static PointPattern? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "a point pattern cannot be empty";
            return null;
        }

        if (text.Contains("***", StringComparison.Ordinal) || text.StartsWith('.') || text.EndsWith('.') || text.Contains("..", StringComparison.Ordinal))
        {
            error = $"'{text}' is not a point path (segments are separated by single dots)";
            return null;
        }

        foreach (var c in text)
        {
            if (char.IsControl(c) || c == ' ')
            {
                error = $"'{text}' contains a space or control character";
                return null;
            }
        }

        return new PointPattern(text);
    }

    public bool Matches(Point point)
    {
        ArgumentNullException.ThrowIfNull(point);
        return Matches(point.ToString());
    }

    public bool Matches(string point)
    {
        ArgumentNullException.ThrowIfNull(point);
        return GlobMatcher.IsMatchOrAncestor(Text, point, Separators, Boundaries, ignoreCase: false);
    }

    public override string ToString() => Text;
}
