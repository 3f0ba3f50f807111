using System.Collections.Frozen;

namespace Palisade.Detection.Engine;

/// <summary>Which headers carry data worth inspecting, and how header names are spelled in points (lower case).</summary>
internal static class HeaderNames
{
    // A power of two: a request seldom has more than 30 names, a server sees perhaps a hundred spellings.
    private const int PlanSlots = 512;

    // Fields whose syntax the server itself enforces (or which only carry framing): no application reads
    // them as data, and inspecting them would only add cost and noise.
    private static readonly FrozenSet<string> Structural = new[]
    {
        "content-length", "transfer-encoding", "connection", "keep-alive", "te", "upgrade",
        "accept-encoding", "cache-control", "pragma", "if-modified-since", "if-unmodified-since",
        "priority", "upgrade-insecure-requests", "sec-fetch-site", "sec-fetch-mode", "sec-fetch-user",
        "sec-fetch-dest", "sec-websocket-key", "sec-websocket-version", "sec-ch-ua-mobile", "dnt",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    // Plans by the hash of the name as the server spelled it, one per slot, the last one made wins: the names
    // of ordinary traffic stay cached, and a client sending thousands of invented names only evicts entries
    // (they are made again on next use) instead of filling a table for good. Plans are immutable, so a
    // reader sees either the old or the new plan of a slot, both right for their own name.
    private static readonly HeaderPlan?[] Plans = new HeaderPlan?[PlanSlots];

    public static bool IsStructural(string name) => Structural.Contains(name);

    /// <summary>The plan for a header name, as spelled by the client.</summary>
    public static HeaderPlan PlanFor(string name)
    {
        ref var slot = ref Plans[name.GetHashCode() & (PlanSlots - 1)];
        var plan = Volatile.Read(ref slot);
        if (plan is not null && string.Equals(plan.Spelling, name, StringComparison.Ordinal))
        {
            return plan;
        }

        plan = HeaderPlan.Create(name);
        Volatile.Write(ref slot, plan);
        return plan;
    }

    /// <summary>The name in lower case, as points spell it.</summary>
    public static string Normalize(string name) =>
        name.AsSpan().ContainsAnyInRange('A', 'Z') ? name.ToLowerInvariant() : name;
}
