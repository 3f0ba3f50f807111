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

    /// <summary>
    /// The policy for a request whose ambiguous path (see <see cref="RulePath"/>) falls under two routes: the
    /// stricter mode's route, every other setting taken at its stricter value (the larger inspection limit,
    /// rejecting oversize bodies, failing closed, blocking over the budget). Ties go to <paramref name="resolved"/>.
    /// </summary>
    public static RoutePolicy Stricter(RoutePolicy resolved, RoutePolicy literal)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        ArgumentNullException.ThrowIfNull(literal);
        if (ReferenceEquals(resolved, literal))
        {
            return resolved;
        }

        var chosen = literal.Mode > resolved.Mode ? literal : resolved;
        return chosen with
        {
            InspectionLimit = Math.Max(resolved.InspectionLimit, literal.InspectionLimit),
            OversizePolicy = resolved.OversizePolicy == OversizePolicy.Reject || literal.OversizePolicy == OversizePolicy.Reject ? OversizePolicy.Reject : chosen.OversizePolicy,
            FailOpen = resolved.FailOpen && literal.FailOpen,
            OverlimitPolicy = resolved.OverlimitPolicy == OverlimitPolicy.Block || literal.OverlimitPolicy == OverlimitPolicy.Block ? OverlimitPolicy.Block : chosen.OverlimitPolicy,
        };
    }

    public static RoutePolicy Default(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new RoutePolicy(PolicyNames.DefaultRoute, RequestMatcher.Any, options.Mode, options.InspectionLimit, options.OversizePolicy, options.FailOpen, options.OverlimitPolicy);
    }
}
