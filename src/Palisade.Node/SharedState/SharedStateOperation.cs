namespace Palisade.Node.SharedState;

/// <summary>What a shared-state Redis operation was for; the order matches <see cref="SharedStateMetrics.Operations"/>.</summary>
internal enum SharedStateOperation
{
    Connect,
    Counter,
    IpList,
    IpSubscribe,
    EventsAppend,
    EventsRead,
}
