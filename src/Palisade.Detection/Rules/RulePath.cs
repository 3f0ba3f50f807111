using System.Text;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Rules;

/// <summary>
/// The request path as routes and rules see it: the path the application would resolve, whatever spelling the
/// client chose. Percent-escapes are undone until none is left (at most <see cref="MaxDecodeRounds"/> rounds),
/// backslashes are slashes, path parameters (<c>;jsessionid=..</c>, <c>..;</c>) are dropped, empty and <c>.</c>
/// segments vanish and <c>..</c> climbs (never above the root). <c>/a/../admin</c>, <c>/a/%2e%2e/admin</c>,
/// <c>/a/..;/admin</c>, <c>//admin</c> and <c>/admin/.</c> are all <c>/admin</c> (with a trailing slash for the
/// last). The raw target still goes to the application unchanged; this form is only compared against.
/// </summary>
public sealed class RulePath
{
    public const int MaxDecodeRounds = 4;

    private string? _lower;

    private RulePath(string value, int decodeRounds)
    {
        Value = value;
        DecodeRounds = decodeRounds;
    }

    /// <summary>The normalised path, always starting with <c>/</c>.</summary>
    public string Value { get; }

    /// <summary>How many rounds of percent-decoding changed the path; more than one is multiple URL encoding.</summary>
    public int DecodeRounds { get; }

    public bool MultipleEncoded => DecodeRounds > 1;

    /// <summary>The normalised path in ASCII lower case, for routes and rules that ignore case.</summary>
    public string LowerValue => _lower ??= Value.ToLowerInvariant();

    public static RulePath Normalize(ReadOnlySpan<char> rawPath)
    {
        // Most paths are already in normal form: no escape, backslash, parameter, empty or dot segment.
        if (IsPlain(rawPath))
        {
            return new RulePath(rawPath.ToString(), 0);
        }

        var text = rawPath.ToString();
        var rounds = 0;
        while (rounds < MaxDecodeRounds && PercentDecoder.NeedsDecoding(text, plusAsSpace: false))
        {
            var decoded = PercentDecoder.Decode(text, plusAsSpace: false);
            if (decoded is null || decoded == text)
            {
                break;
            }

            text = decoded;
            rounds++;
        }

        return new RulePath(Resolve(text), rounds);
    }

    public override string ToString() => Value;

    private static bool IsPlain(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty || path[0] != '/' || path.ContainsAny(Unusual))
        {
            return false;
        }

        // No empty segment ("//") and no dot segment ("/." or "/.." followed by '/' or the end).
        for (var i = 0; i < path.Length - 1; i++)
        {
            if (path[i] == '/' && (path[i + 1] == '/' || (path[i + 1] == '.' && (i + 2 == path.Length || path[i + 2] == '/' || (path[i + 2] == '.' && (i + 3 == path.Length || path[i + 3] == '/'))))))
            {
                return false;
            }
        }

        return true;
    }

    private static readonly System.Buffers.SearchValues<char> Unusual = System.Buffers.SearchValues.Create("%\\;");

    private static string Resolve(string path)
    {
        var segments = new List<string>();
        var trailingSlash = false;
        foreach (var raw in path.Replace('\\', '/').Split('/'))
        {
            var semicolon = raw.IndexOf(';', StringComparison.Ordinal);
            var segment = semicolon < 0 ? raw : raw[..semicolon];
            trailingSlash = segment is "" or "." or "..";
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(segment);
        }

        if (segments.Count == 0)
        {
            return "/";
        }

        var builder = new StringBuilder(path.Length + 1);
        foreach (var segment in segments)
        {
            builder.Append('/').Append(segment);
        }

        if (trailingSlash)
        {
            builder.Append('/');
        }

        return builder.ToString();
    }
}
