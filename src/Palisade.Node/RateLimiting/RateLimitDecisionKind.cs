namespace Palisade.Node.RateLimiting;

/// <summary>What <see cref="RateLimiter.Check"/> decided for a request.</summary>
public enum RateLimitDecisionKind
{
    /// <summary>No rule is over its limit: the request goes on.</summary>
    Allow,

    /// <summary>Answer 429 with <c>Retry-After</c>.</summary>
    Reject,

    /// <summary>Refuse the request; its source IP has been handed to the graylist callback.</summary>
    Graylist,
}
