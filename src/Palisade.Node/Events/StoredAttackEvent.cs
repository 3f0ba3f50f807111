namespace Palisade.Node.Events;

/// <summary>
/// One row of the SQLite attack log. <see cref="FindingsJson"/> is the findings array as the event log writes it
/// (<c>[{"type","point","detector","reason","evidence","score"}]</c>, evidence of secret points masked). A protocol
/// violation has no findings, and its <see cref="Reason"/> and <see cref="Status"/> instead; so has a denied source
/// (<c>ip_denied</c>: the network and its reason).
/// </summary>
public sealed record StoredAttackEvent(
    long Id,
    DateTimeOffset Time,
    string Type,
    string RequestId,
    string ClientIp,
    string? Method,
    string? Host,
    string? Path,
    string? Mode,
    string Action,
    bool BodyTruncated,
    IReadOnlyList<string> AttackTypes,
    string FindingsJson,
    string? Reason,
    int? Status)
{
    /// <summary>The policy route the request matched (attacks and denied sources).</summary>
    public string? Route { get; init; }
}
