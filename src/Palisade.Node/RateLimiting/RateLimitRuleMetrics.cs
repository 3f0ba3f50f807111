using Palisade.Node.Metrics;
using Prometheus;

namespace Palisade.Node.RateLimiting;

/// <summary>The metric children of one rule, resolved once when a rule set is built (no label lookup per request).</summary>
internal sealed class RateLimitRuleMetrics(NodeMetrics metrics, string rule)
{
    public Counter.Child Rejected { get; } = metrics.RateLimitHits(rule, RateLimitAction.Reject);

    public Counter.Child Graylisted { get; } = metrics.RateLimitHits(rule, RateLimitAction.Graylist);

    public Counter.Child ExpiredEvictions { get; } = metrics.RateLimitEvictions(rule, "expired");

    public Counter.Child LruEvictions { get; } = metrics.RateLimitEvictions(rule, "lru");

    public Gauge.Child Keys { get; } = metrics.RateLimitKeys(rule);
}
