namespace Palisade.Detection.Rules;

/// <summary>A path a route or rule applies to, compared with the request's normalised <see cref="RulePath"/>.</summary>
public sealed class PathPattern
{
    private static readonly char[] Separators = ['/'];

    private readonly string _path;

    private PathPattern(string path, PathMatchKind kind, bool caseSensitive)
    {
        _path = caseSensitive ? path : path.ToLowerInvariant();
        Text = path;
        Kind = kind;
        CaseSensitive = caseSensitive;
    }

    public string Text { get; }

    public PathMatchKind Kind { get; }

    public bool CaseSensitive { get; }

    /// <summary>Reads a pattern; null with a reason when it is not a path.</summary>
    public static PathPattern? TryCreate(string? path, PathMatchKind kind, bool caseSensitive, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            error = $"'{path}' is not a path: it must start with '/'";
            return null;
        }

        if (path.AsSpan().ContainsAny(['?', '#', ' ']) || path.AsSpan().ContainsAnyInRange('\0', '\x1f'))
        {
            error = $"'{path}' must be a path alone, without query, fragment, spaces or control characters";
            return null;
        }

        if (kind != PathMatchKind.Glob && path.Contains('*', StringComparison.Ordinal))
        {
            error = $"'{path}' holds a '*': use path-match: glob";
            return null;
        }

        if (kind == PathMatchKind.Glob && !IsNormalGlob(path))
        {
            error = $"'{path}' is compared with the normalised request path: write the glob without '//', '.' or '..' segments, '%', '\\' or ';'";
            return null;
        }

        // Written in the form requests are normalised to, so that /admin/ and /admin//x compare as meant.
        var normalized = kind == PathMatchKind.Glob ? path : RulePath.Normalize(path).Value;
        return new PathPattern(normalized, kind, caseSensitive);
    }

    public bool Matches(RulePath path, PathReading reading = PathReading.Resolved)
    {
        ArgumentNullException.ThrowIfNull(path);
        var value = path.Read(reading, ignoreCase: !CaseSensitive);
        return Kind switch
        {
            PathMatchKind.Exact => TrimSlash(value).SequenceEqual(TrimSlash(_path)),
            PathMatchKind.Glob => GlobMatcher.IsMatch(_path, value, Separators, ignoreCase: false),
            _ => IsUnder(value),
        };
    }

    public override string ToString() => Text;

    private bool IsUnder(string value)
    {
        if (_path.EndsWith('/'))
        {
            return value.StartsWith(_path, StringComparison.Ordinal) || value == _path[..^1];
        }

        return value.StartsWith(_path, StringComparison.Ordinal) && (value.Length == _path.Length || value[_path.Length] == '/');
    }

    /// <summary>A glob in the form normalised paths take, so that it can match them at all.</summary>
    private static bool IsNormalGlob(string path)
    {
        if (path.AsSpan().ContainsAny('%', '\\', ';'))
        {
            return false;
        }

        foreach (var segment in path[1..].Split('/'))
        {
            if (segment is "." or "..")
            {
                return false;
            }
        }

        // An empty segment anywhere but at the end ("/a/" is fine): "//" never survives normalisation.
        return !path.Contains("//", StringComparison.Ordinal);
    }

    private static ReadOnlySpan<char> TrimSlash(string value) =>
        value.Length > 1 && value[^1] == '/' ? value.AsSpan(0, value.Length - 1) : value;
}
