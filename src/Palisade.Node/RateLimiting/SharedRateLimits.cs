using Palisade.Node.SharedState;

namespace Palisade.Node.RateLimiting;

/// <summary>
/// Rate limits counted by all replicas together in Redis, with the node's own limiter as the fallback: every
/// request is counted locally as before (so the local counters hold recent history when Redis goes away), and
/// while Redis answers, each rule's shared count decides as well. A rule over its limit anywhere refuses. When
/// Redis does not answer within its operation timeout the local decision stands alone: the node keeps serving.
/// The rules' counts are asked for together (a request waits one operation timeout at most, not one per rule),
/// and after <see cref="TripAfter"/> failures in a row the shared counts are left alone for
/// <see cref="OpenFor"/>: a Redis that is connected but slow costs a few requests their timeout, not all of them.
/// </summary>
public sealed class SharedRateLimits(SharedWindowCounter counter, SharedStateConnection connection, TimeProvider time)
{
    internal const int TripAfter = 3;
    internal static readonly TimeSpan OpenFor = TimeSpan.FromSeconds(5);

    private int _failures;
    private long _openUntil;

    /// <summary>True while failures in a row keep the shared counts out of the decision.</summary>
    public bool IsBypassed => time.GetTimestamp() < Volatile.Read(ref _openUntil);

    public async ValueTask<RateLimitDecision> CheckAsync(RateLimiter limiter, RateLimitRequest request)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        var local = limiter.Check(request);
        if (!local.IsAllowed || !connection.IsConnected || IsBypassed)
        {
            return local;
        }

        var keys = limiter.KeysOf(request);
        if (keys.Count == 0)
        {
            return local;
        }

        var counts = new Task<long?>[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            var (rule, key) = keys[i];
            // A request refused for a limit does not count against it (as in the local limiter): a client that
            // backs off gets back in when the window slides.
            counts[i] = rule.Kind == RateLimitKind.Requests
                ? counter.IncrementAsync(rule.Name, key, rule.Window, limit: rule.Limit).AsTask()
                : counter.GetAsync(rule.Name, key, rule.Window).AsTask();
        }

        await Task.WhenAll(counts).ConfigureAwait(false);
        for (var i = 0; i < keys.Count; i++)
        {
            if (counts[i].Result is not { } count)
            {
                // Redis failed on the way: the local decision stands.
                Failed();
                return local;
            }
        }

        Volatile.Write(ref _failures, 0);
        for (var i = 0; i < keys.Count; i++)
        {
            var rule = keys[i].Rule;
            var count = counts[i].Result!.Value;
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
        if (!connection.IsConnected || IsBypassed)
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

    private void Failed()
    {
        if (Interlocked.Increment(ref _failures) >= TripAfter)
        {
            Volatile.Write(ref _failures, 0);
            Volatile.Write(ref _openUntil, time.GetTimestamp() + (long)(OpenFor.TotalSeconds * time.TimestampFrequency));
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
