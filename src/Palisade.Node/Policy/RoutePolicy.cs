using Palisade.Detection.Engine;
using Palisade.Detection.Rules;
using Palisade.Detection.Verdicts;
using Palisade.Node.Configuration;

namespace Palisade.Node.Policy;

/// <summary>The settings a request is handled under: its route's, with the global ones for what the route leaves out.</summary>
public sealed record RoutePolicy(
    string Name,
    RequestMatcher Match,
    EnforcementMode Mode,
    long InspectionLimit,
    OversizePolicy OversizePolicy,
    bool FailOpen,
    OverlimitPolicy OverlimitPolicy)
{
    public static RoutePolicy Resolve(RouteDefinition route, NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(options);
        return new RoutePolicy(
            route.Name,
            route.Match,
            route.Mode ?? options.Mode,
            route.InspectionLimit ?? options.InspectionLimit,
            route.OversizePolicy ?? options.OversizePolicy,
            route.FailOpen ?? options.FailOpen,
            route.OverlimitPolicy ?? options.OverlimitPolicy);
    }

    public static RoutePolicy Default(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new RoutePolicy(PolicyNames.DefaultRoute, RequestMatcher.Any, options.Mode, options.InspectionLimit, options.OversizePolicy, options.FailOpen, options.OverlimitPolicy);
    }
}
