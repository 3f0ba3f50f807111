using Palisade.Node.SharedState;

namespace Palisade.Node.RateLimiting;

/// <summary>
/// Rate limits counted by all replicas together in Redis, with the node's own limiter as the fallback: every
/// request is counted locally as before (so the local counters hold recent history when Redis goes away), and
/// while Redis answers, each rule's shared count decides as well. A rule over its limit anywhere refuses. When
/// Redis does not answer within its operation timeout the local decision stands alone: the node keeps serving.
/// </summary>
public sealed class SharedRateLimits(SharedWindowCounter counter, SharedStateConnection connection, TimeProvider time)
{
    public async ValueTask<RateLimitDecision> CheckAsync(RateLimiter limiter, RateLimitRequest request)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        var local = limiter.Check(request);
        if (!local.IsAllowed || !connection.IsConnected)
        {
            return local;
        }

        foreach (var (rule, key) in limiter.KeysOf(request))
        {
            var count = rule.Kind == RateLimitKind.Requests
                ? await counter.IncrementAsync(rule.Name, key, rule.Window)
                : await counter.GetAsync(rule.Name, key, rule.Window);
            if (count is null)
            {
                // Redis failed on the way: the local decision stands.
                return local;
            }

            var over = rule.Kind == RateLimitKind.Requests ? count > rule.Limit : count >= rule.Limit;
            if (over)
            {
                return limiter.RefuseShared(rule, request.ClientIp, UntilWindowEnds(rule.Window));
            }
        }

        return local;
    }

    /// <summary>Counts the application's answer in the shared failure counters as well as the local ones.</summary>
    public async ValueTask ObserveResponseAsync(RateLimiter limiter, RateLimitRequest request, int status)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        limiter.ObserveResponse(request, status);
        if (!connection.IsConnected)
        {
            return;
        }

        foreach (var (rule, key) in limiter.KeysOf(request))
        {
            if (rule.Kind == RateLimitKind.Failures && rule.CountsStatus(status))
            {
                await counter.IncrementAsync(rule.Name, key, rule.Window);
            }
        }
    }

    // The shared count weighs the previous window by its overlap; the current window's end is when it has most room.
    private TimeSpan UntilWindowEnds(TimeSpan window)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var length = (long)window.TotalMilliseconds;
        return TimeSpan.FromMilliseconds(length - (now % length));
    }
}
