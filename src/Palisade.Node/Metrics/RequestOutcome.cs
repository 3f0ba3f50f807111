namespace Palisade.Node.Metrics;

/// <summary>
/// What became of a request, as counted in <c>palisade_requests_total{action}</c>:
/// <c>pass</c>, <c>monitor</c>, <c>block</c>, <c>reject</c> (oversize body under the reject policy),
/// <c>error</c> (the engine failed and the node is configured to fail closed).
/// </summary>
public enum RequestOutcome
{
    Pass,
    Monitor,
    Block,
    Reject,
    Error,
}
