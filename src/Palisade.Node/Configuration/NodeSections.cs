using Palisade.Node.Policy;

namespace Palisade.Node.Configuration;

/// <summary>The catalogue of the sections of <c>palisade.yaml</c>, in the order they are applied.</summary>
public static class NodeSections
{
    public static IReadOnlyList<NodeSection> All { get; } =
    [
        new("routes", "Routes by host, path and method, each with its own mode, inspection limit, oversize policy and fail-open setting.", RoutesYaml.Apply),
        new("exclusions", "Detectors turned off at point patterns (false-positive fixes), on a route or scope.", ExclusionsYaml.Apply),
        new("virtual-patches", "Requests blocked when a point holds a value (equals, contains, glob, regex), or outright by path.", RequestRulesYaml.ApplyVirtualPatches),
        new("ip-lists", "Sources by address or CIDR: allow (not inspected), deny (403 in every mode but off), gray (blocked in safe_blocking); with a reason and an expiry. countries: the same lists by country code (needs geoip-database); address entries decide first.",
            Access.IpListsYaml.Apply),
        new(RateLimiting.RateLimitRulesYaml.Key, "Rate limits and brute-force rules: a key (ip, header, cookie, JSON field, JWT claim), a sliding window, 429 or graylisting.",
            (options, node, file) => options with { RateLimits = RateLimiting.RateLimitRulesYaml.Read(node, file) }),
        new("allow-rules", "Requests whose detector findings do not count (virtual patches and deny lists still do).", RequestRulesYaml.ApplyAllowRules),
    ];

    public static NodeSection? Find(string key)
    {
        foreach (var section in All)
        {
            if (section.Key == key)
            {
                return section;
            }
        }

        return null;
    }
}
