using Palisade.Detection.Rules;
using Palisade.Node.Configuration;

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

    private NodePolicy(RoutePolicy[] routes, RoutePolicy defaultRoute, RuleSet rules, int blockStatus)
    {
        _routes = routes;
        Default = defaultRoute;
        Rules = rules;
        BlockStatus = blockStatus;
    }

    public RoutePolicy Default { get; }

    public IReadOnlyList<RoutePolicy> Routes => _routes;

    public RuleSet Rules { get; }

    public int BlockStatus { get; }

    /// <summary>True when routes or rules need the request's normalised path.</summary>
    public bool NeedsPath => _routes.Length > 0 || !Rules.IsEmpty;

    public static NodePolicy From(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var routes = options.Routes.Select(r => RoutePolicy.Resolve(r, options)).ToArray();
        var rules = options.Exclusions.Count + options.VirtualPatches.Count + options.AllowRules.Count == 0
            ? RuleSet.Empty
            : new RuleSet(options.Exclusions, [.. options.VirtualPatches, .. options.AllowRules]);
        return new NodePolicy(routes, RoutePolicy.Default(options), rules, options.BlockStatus);
    }

    /// <summary>The first route matching the request, or the default route.</summary>
    public RoutePolicy Resolve(string method, string host, RulePath? path)
    {
        if (path is null)
        {
            return Default;
        }

        foreach (var route in _routes)
        {
            if (route.Match.Matches(method, host, path))
            {
                return route;
            }
        }

        return Default;
    }
}
