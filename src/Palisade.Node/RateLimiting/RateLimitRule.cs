namespace Palisade.Node.RateLimiting;

/// <summary>
/// One rate limit: which requests it applies to (<see cref="PathPrefix"/>, <see cref="Methods"/>, <see cref="Host"/>;
/// each optional), what it counts them by (<see cref="Key"/>), how many per <see cref="Window"/>
/// (<see cref="Limit"/>), what it counts (<see cref="Kind"/>) and what it does over the limit
/// (<see cref="Action"/>). Two rules are equal when every parameter is: that is the identity under which a
/// reload keeps a rule's counters (<see cref="RateLimiter.WithRules"/>).
/// </summary>
public sealed record RateLimitRule
{
    /// <summary>Keys tracked per rule when the configuration says nothing.</summary>
    public const int DefaultMaxKeys = 100_000;

    /// <summary>Statuses a <see cref="RateLimitKind.Failures"/> rule counts when the configuration says nothing.</summary>
    public static IReadOnlyList<int> DefaultFailureStatuses { get; } = [401, 403];

    /// <summary>Unique among the rules; <c>[a-z0-9_-]</c>. Used as the metrics label.</summary>
    public required string Name { get; init; }

    /// <summary>Applies to paths starting with this (ASCII case-insensitive, on the normalized path); null: every path.</summary>
    public string? PathPrefix { get; init; }

    /// <summary>Applies to these methods only (upper case); empty: every method.</summary>
    public IReadOnlyList<string> Methods { get; init; } = [];

    /// <summary>Applies to this host only (case-insensitive, a port on the request's host ignored); null: every host.</summary>
    public string? Host { get; init; }

    public RateLimitKeySource Key { get; init; } = RateLimitKeySource.Ip;

    /// <summary>Requests (or failures) per window a key may have; at least 1.</summary>
    public required int Limit { get; init; }

    public required TimeSpan Window { get; init; }

    public RateLimitKind Kind { get; init; } = RateLimitKind.Requests;

    /// <summary>The statuses a <see cref="RateLimitKind.Failures"/> rule counts.</summary>
    public IReadOnlyList<int> Statuses { get; init; } = DefaultFailureStatuses;

    public RateLimitAction Action { get; init; } = RateLimitAction.Reject;

    /// <summary>How long a <see cref="RateLimitAction.Graylist"/> rule graylists the source IP.</summary>
    public TimeSpan GraylistFor { get; init; }

    /// <summary>Keys tracked at most; past it expired keys, then the least recently used, are dropped.</summary>
    public int MaxKeys { get; init; } = DefaultMaxKeys;

    /// <summary>Whether the rule applies to the request under either reading of its path. Allocation-free.</summary>
    public bool Matches(in RateLimitRequest request) =>
        Matches(request.Method, request.Host, request.NormalizedPath)
        || (request.LiteralPath is { } literal && Matches(request.Method, request.Host, literal))
        || (request.RawPath is { } raw && Matches(request.Method, request.Host, raw));

    /// <summary>Whether the rule applies to a request with this method, host and normalized path. Allocation-free.</summary>
    public bool Matches(string method, string host, string normalizedPath)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(normalizedPath);
        if (PathPrefix is not null && !normalizedPath.StartsWith(PathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Methods.Count > 0)
        {
            var found = false;
            for (var i = 0; i < Methods.Count && !found; i++)
            {
                found = string.Equals(Methods[i], method, StringComparison.OrdinalIgnoreCase);
            }

            if (!found)
            {
                return false;
            }
        }

        return Host is null || HostMatches(Host, host);
    }

    /// <summary>Whether a response status counts against a <see cref="RateLimitKind.Failures"/> rule.</summary>
    public bool CountsStatus(int status)
    {
        for (var i = 0; i < Statuses.Count; i++)
        {
            if (Statuses[i] == status)
            {
                return true;
            }
        }

        return false;
    }

    public bool Equals(RateLimitRule? other) =>
        other is not null
        && string.Equals(Name, other.Name, StringComparison.Ordinal)
        && string.Equals(PathPrefix, other.PathPrefix, StringComparison.Ordinal)
        && Methods.SequenceEqual(other.Methods, StringComparer.Ordinal)
        && string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase)
        && Key.Equals(other.Key)
        && Limit == other.Limit
        && Window == other.Window
        && Kind == other.Kind
        && Statuses.SequenceEqual(other.Statuses)
        && Action == other.Action
        && GraylistFor == other.GraylistFor
        && MaxKeys == other.MaxKeys;

    public override int GetHashCode() => HashCode.Combine(Name, Limit, Window, Kind, Key);

    // "example.com" matches "example.com" and "example.com:8443"; a rule that names a port must match it exactly.
    private static bool HostMatches(string ruleHost, string requestHost)
    {
        if (requestHost.Length == ruleHost.Length)
        {
            return requestHost.Equals(ruleHost, StringComparison.OrdinalIgnoreCase);
        }

        if (requestHost.Length <= ruleHost.Length + 1 || requestHost[ruleHost.Length] != ':'
            || !requestHost.AsSpan(0, ruleHost.Length).Equals(ruleHost, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var c in requestHost.AsSpan(ruleHost.Length + 1))
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
