namespace Palisade.Node.RateLimiting;

/// <summary>Where a rule takes the key it counts by.</summary>
public enum RateLimitKeyKind
{
    /// <summary>The client address (after trusted proxies). Present on every request that has one.</summary>
    Ip,

    /// <summary>The first value of a request header.</summary>
    Header,

    /// <summary>A cookie of the <c>Cookie</c> header.</summary>
    Cookie,

    /// <summary>A string, number or boolean field of a JSON request body, by a dotted path from the top-level object.</summary>
    Json,

    /// <summary>A claim of the bearer JWT in <c>Authorization</c>, read without verifying the signature.</summary>
    Jwt,
}
