using System.Net;

namespace Palisade.Node.RateLimiting;

/// <summary>
/// The answer of <see cref="RateLimiter.Check"/>. <see cref="Allow"/> lets the request go on; otherwise
/// <see cref="Rule"/> is the first rule (in configuration order) over its limit.
/// </summary>
/// <param name="Kind">Allow, Reject or Graylist.</param>
/// <param name="Rule">The rule that refused the request; null when allowed.</param>
/// <param name="RetryAfter">How long until the rule's window lets the key in again (for <c>Retry-After</c>); zero when allowed.</param>
/// <param name="ClientIp">For <see cref="RateLimitDecisionKind.Graylist"/>: the source IP that was graylisted.</param>
/// <param name="GraylistFor">For <see cref="RateLimitDecisionKind.Graylist"/>: for how long.</param>
public readonly record struct RateLimitDecision(
    RateLimitDecisionKind Kind,
    RateLimitRule? Rule,
    TimeSpan RetryAfter,
    IPAddress? ClientIp,
    TimeSpan GraylistFor)
{
    public static RateLimitDecision Allow => default;

    public bool IsAllowed => Kind == RateLimitDecisionKind.Allow;

    /// <summary>The <c>Retry-After</c> value: whole seconds, rounded up, at least 1 for a refused request.</summary>
    public int RetryAfterSeconds => Kind == RateLimitDecisionKind.Allow ? 0 : Math.Max(1, (int)Math.Min(int.MaxValue, Math.Ceiling(RetryAfter.TotalSeconds)));

    public static RateLimitDecision Reject(RateLimitRule rule, TimeSpan retryAfter) =>
        new(RateLimitDecisionKind.Reject, rule, retryAfter, null, TimeSpan.Zero);

    public static RateLimitDecision Graylist(RateLimitRule rule, TimeSpan retryAfter, IPAddress ip, TimeSpan duration) =>
        new(RateLimitDecisionKind.Graylist, rule, retryAfter, ip, duration);
}
