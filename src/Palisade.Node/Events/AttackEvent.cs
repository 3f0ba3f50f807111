using System.Buffers;
using Palisade.Detection.Findings;
using Palisade.Detection.Verdicts;

namespace Palisade.Node.Events;

/// <summary>
/// One attacked request, as recorded: when, which request, from where, what the node did, and every finding
/// (whose evidence is already masked for secret points). Carries no header or body values.
/// </summary>
public sealed record AttackEvent(
    DateTimeOffset Time,
    string RequestId,
    string ClientIp,
    string Method,
    string Host,
    string Path,
    EnforcementMode Mode,
    VerdictAction Action,
    bool BodyTruncated,
    IReadOnlyList<Finding> Findings) : INodeEvent
{
    /// <summary>The policy route the request matched (<c>default</c> when none).</summary>
    public string Route { get; init; } = Policy.PolicyNames.DefaultRoute;

    public void WriteJsonLine(IBufferWriter<byte> output) => AttackEventFormatter.Write(output, this);
}
