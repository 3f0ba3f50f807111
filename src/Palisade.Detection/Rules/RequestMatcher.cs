namespace Palisade.Detection.Rules;

/// <summary>
/// Which requests a route or rule applies to: a host, a path and a set of methods, each optional (absent
/// matches every request). Paths are compared with the request's normalised <see cref="RulePath"/>.
/// </summary>
public sealed record RequestMatcher(HostPattern? Host, PathPattern? Path, IReadOnlySet<string>? Methods)
{
    public static RequestMatcher Any { get; } = new(null, null, null);

    /// <summary>
    /// Set for a rule written with <c>route: NAME</c>: it applies only to requests that route resolved to (not
    /// to those an earlier route took, nor when an ambiguous path gave the request a stricter route).
    /// </summary>
    public string? Route { get; init; }

    /// <summary>Whether a request that resolved to <paramref name="route"/> can be in this scope.</summary>
    public bool AllowsRoute(string? route) => Route is null || string.Equals(Route, route, StringComparison.Ordinal);

    public bool Matches(string method, string host, RulePath path, PathReading reading = PathReading.Resolved) =>
        (Methods is null || Methods.Contains(method))
        && (Host is null || Host.Matches(host))
        && (Path is null || Path.Matches(path, reading));

    /// <summary>
    /// Holds under every reading of an ambiguous path: the test for what relaxes inspection (a lax route, an
    /// allow rule, an exclusion), so that no spelling reaches the application elsewhere than where it was allowed.
    /// </summary>
    public bool MatchesBoth(string method, string host, RulePath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Matches(method, host, path)
            && (Path is null || !path.IsAmbiguous || (Path.Matches(path, PathReading.Literal) && Path.Matches(path, PathReading.Raw)));
    }

    /// <summary>Holds under any reading: the test for what tightens inspection (a virtual patch, a rate limit).</summary>
    public bool MatchesEither(string method, string host, RulePath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Matches(method, host, path)
            || (Path is not null && path.IsAmbiguous && (Matches(method, host, path, PathReading.Literal) || Matches(method, host, path, PathReading.Raw)));
    }

    public override string ToString()
    {
        var parts = new List<string>(3);
        if (Methods is not null)
        {
            parts.Add(string.Join(',', Methods.Order(StringComparer.Ordinal)));
        }

        if (Host is not null)
        {
            parts.Add(Host.Text);
        }

        parts.Add(Path is null ? "*" : $"{Path.Kind.ToString().ToLowerInvariant()} {Path.Text}");
        return string.Join(' ', parts);
    }
}
