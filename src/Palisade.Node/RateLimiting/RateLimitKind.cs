namespace Palisade.Node.RateLimiting;

/// <summary>What a rate-limit rule counts.</summary>
public enum RateLimitKind
{
    /// <summary>Every matching request that the rule lets through.</summary>
    Requests,

    /// <summary>Brute force: responses to matching requests whose status is in the rule's set (401 and 403 by default).</summary>
    Failures,
}
