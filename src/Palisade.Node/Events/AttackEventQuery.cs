namespace Palisade.Node.Events;

/// <summary>
/// Which stored events <see cref="SqliteAttackLog.ListAsync"/> returns, newest first. Every filter is optional;
/// <see cref="BeforeId"/> pages on: pass the smallest id of the previous page.
/// </summary>
public sealed record AttackEventQuery
{
    /// <summary>Events at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Events before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Events with a finding of this attack type (its name: <c>sqli</c>, <c>xss</c>...).</summary>
    public string? AttackType { get; init; }

    public string? ClientIp { get; init; }

    /// <summary>Events whose path starts with this text (compared as is, no wildcards).</summary>
    public string? PathPrefix { get; init; }

    /// <summary>What the node did: <c>pass</c>, <c>monitor</c>, <c>block</c>, <c>reject</c>.</summary>
    public string? Action { get; init; }

    /// <summary>The kind of event: <c>attack</c> or <c>protocol_violation</c>.</summary>
    public string? Type { get; init; }

    /// <summary>Most events returned, 1 to <see cref="SqliteAttackLog.MaxListLimit"/>.</summary>
    public int Limit { get; init; } = 100;

    /// <summary>Only events with a smaller id (the cursor of the next page).</summary>
    public long? BeforeId { get; init; }
}
