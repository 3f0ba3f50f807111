using Palisade.Detection.Rules;
using Palisade.Node.Configuration;
using Palisade.Node.RateLimiting;

namespace Palisade.Node.Policy;

/// <summary>
/// What the request path decides with, as one immutable snapshot: routes, rules, the block status (the IP lists
/// have their own store, which the management API changes too).
/// A reload builds a new one and swaps it in whole (<see cref="ActivePolicy"/>): a request sees one policy from
/// start to end, never half of an old and half of a new one.
/// </summary>
public sealed class NodePolicy
{
    private readonly RoutePolicy[] _routes;

    private NodePolicy(RoutePolicy[] routes, RoutePolicy defaultRoute, RuleSet rules, int blockStatus, RateLimiter? rateLimits)
    {
        RateLimits = rateLimits;
        _routes = routes;
        Default = defaultRoute;
        Rules = rules;
        BlockStatus = blockStatus;
    }

    public RoutePolicy Default { get; }

    public IReadOnlyList<RoutePolicy> Routes => _routes;

    public RuleSet Rules { get; }

    public int BlockStatus { get; }

    /// <summary>The rate limits in force with their counters (carried over reloads), or null when none are configured.</summary>
    public RateLimiter? RateLimits { get; }

    /// <summary>True when routes, rules or rate limits need the request's normalised path.</summary>
    public bool NeedsPath => _routes.Length > 0 || !Rules.IsEmpty || RateLimits is not null;

    /// <param name="options">The configuration.</param>
    /// <param name="runtimeExclusions">Exclusions applied through the management API on top of the file's.</param>
    /// <param name="rateLimits">The rate limiter for <see cref="NodeOptions.RateLimits"/> (its counters live across policies).</param>
    public static NodePolicy From(NodeOptions options, IReadOnlyList<Exclusion>? runtimeExclusions = null, RateLimiter? rateLimits = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var routes = options.Routes.Select(r => RoutePolicy.Resolve(r, options)).ToArray();
        IReadOnlyList<Exclusion> exclusions = runtimeExclusions is { Count: > 0 } ? [.. options.Exclusions, .. runtimeExclusions] : options.Exclusions;
        var rules = exclusions.Count + options.VirtualPatches.Count + options.AllowRules.Count == 0
            ? RuleSet.Empty
            : new RuleSet(exclusions, [.. options.VirtualPatches, .. options.AllowRules]);
        return new NodePolicy(routes, RoutePolicy.Default(options), rules, options.BlockStatus, options.RateLimits.Count == 0 ? null : rateLimits);
    }

    /// <summary>
    /// The first route matching the request, or the default route. When the path is ambiguous and its two readings
    /// fall under different routes, the stricter of the two (<see cref="RoutePolicy.Stricter"/>): a spelling the
    /// application may resolve elsewhere cannot borrow a laxer route's settings.
    /// </summary>
    public RoutePolicy Resolve(string method, string host, RulePath? path)
    {
        if (path is null)
        {
            return Default;
        }

        var resolved = First(method, host, path, PathReading.Resolved);
        return path.IsAmbiguous
            ? RoutePolicy.Stricter(RoutePolicy.Stricter(resolved, First(method, host, path, PathReading.Literal)), First(method, host, path, PathReading.Raw))
            : resolved;
    }

    private RoutePolicy First(string method, string host, RulePath path, PathReading reading)
    {
        foreach (var route in _routes)
        {
            if (route.Match.Matches(method, host, path, reading))
            {
                return route;
            }
        }

        return Default;
    }
}
