namespace Palisade.Node.RateLimiting;

/// <summary>What happens to a request whose key is over a rule's limit.</summary>
public enum RateLimitAction
{
    /// <summary>Answer 429 with <c>Retry-After</c>: the seconds until the window lets the key in again.</summary>
    Reject,

    /// <summary>Refuse the request and put its source IP on the graylist for the rule's <c>graylist-for</c>.</summary>
    Graylist,
}
