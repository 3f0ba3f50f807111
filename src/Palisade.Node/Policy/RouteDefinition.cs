using Palisade.Detection.Engine;
using Palisade.Detection.Rules;
using Palisade.Detection.Verdicts;
using Palisade.Node.Configuration;

namespace Palisade.Node.Policy;

/// <summary>
/// A route of the policy as written: which requests (<see cref="Match"/>), and the settings it overrides for them.
/// A setting left out (null) is the node's global one, so a route says only what differs.
/// </summary>
public sealed record RouteDefinition(
    string Name,
    RequestMatcher Match,
    EnforcementMode? Mode = null,
    long? InspectionLimit = null,
    OversizePolicy? OversizePolicy = null,
    bool? FailOpen = null,
    OverlimitPolicy? OverlimitPolicy = null);
