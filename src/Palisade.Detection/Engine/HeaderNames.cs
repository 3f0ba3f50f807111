using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Palisade.Detection.Engine;

/// <summary>Which headers carry data worth inspecting, and how header names are spelled in points (lower case).</summary>
internal static class HeaderNames
{
    private const int MaxCachedNames = 1024;

    // Fields whose syntax the server itself enforces (or which only carry framing): no application reads
    // them as data, and inspecting them would only add cost and noise.
    private static readonly FrozenSet<string> Structural = new[]
    {
        "content-length", "transfer-encoding", "connection", "keep-alive", "te", "upgrade",
        "accept-encoding", "cache-control", "pragma", "if-modified-since", "if-unmodified-since",
        "priority", "upgrade-insecure-requests", "sec-fetch-site", "sec-fetch-mode", "sec-fetch-user",
        "sec-fetch-dest", "sec-websocket-key", "sec-websocket-version", "sec-ch-ua-mobile", "dnt",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    // Servers hand out the same few header names on every request; their lower-case forms are made once.
    private static readonly ConcurrentDictionary<string, string> Lowered = new(StringComparer.Ordinal);

    // Plans per header name as servers spell them (Kestrel hands out the same strings for known names).
    private static readonly ConcurrentDictionary<string, HeaderPlan> Plans = new(StringComparer.Ordinal);

    public static bool IsStructural(string name) => Structural.Contains(name);

    /// <summary>The plan for a header name; made once per spelling (up to a bound, then per call).</summary>
    public static HeaderPlan PlanFor(string name)
    {
        if (Plans.TryGetValue(name, out var plan))
        {
            return plan;
        }

        plan = HeaderPlan.Create(name);
        if (Plans.Count < MaxCachedNames)
        {
            Plans.TryAdd(name, plan);
        }

        return plan;
    }

    public static string Normalize(string name)
    {
        if (!name.AsSpan().ContainsAnyInRange('A', 'Z'))
        {
            return name;
        }

        if (Lowered.TryGetValue(name, out var lower))
        {
            return lower;
        }

        lower = name.ToLowerInvariant();
        if (Lowered.Count < MaxCachedNames)
        {
            Lowered.TryAdd(name, lower);
        }

        return lower;
    }
}
