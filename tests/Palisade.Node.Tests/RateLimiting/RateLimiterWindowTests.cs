using Palisade.Node.RateLimiting;
using Palisade.Node.Tests.Infrastructure;
using static Palisade.Node.Tests.RateLimiting.RateLimitTestRequests;

namespace Palisade.Node.Tests.RateLimiting;

/// <summary>The two-window sliding counter of requests rules, on a clock the tests move.</summary>
public sealed class RateLimiterWindowTests
{
    private readonly SplitClockTimeProvider _time = new();

    [Fact]
    public void Check_LimitRequestsInOneWindow_AdmitsExactlyTheLimit()
    {
        var limiter = new RateLimiter([Rule(limit: 10)], _time);

        Assert.Equal(10, Admitted(limiter, Request(), 25));
        Assert.Equal(RateLimitDecisionKind.Reject, limiter.Check(Request()).Kind);
        Assert.Equal("api", limiter.Check(Request()).Rule?.Name);
    }

    [Fact]
    public void Check_OtherKey_HasItsOwnCount()
    {
        var limiter = new RateLimiter([Rule(limit: 3)], _time);

        Assert.Equal(3, Admitted(limiter, Request(ip: "192.0.2.1"), 5));
        Assert.Equal(3, Admitted(limiter, Request(ip: "192.0.2.2"), 5));
        Assert.Equal(3, Admitted(limiter, Request(ip: "2001:db8::1"), 5));
    }

    [Fact]
    public void Check_RequestOutsideTheRulesMatch_IsNeitherCountedNorLimited()
    {
        var rule = Rule(limit: 2) with { PathPrefix = "/api/", Methods = ["POST"] };
        var limiter = new RateLimiter([rule], _time);

        Assert.Equal(50, Admitted(limiter, Request(path: "/static/app.js", method: "POST"), 50));
        Assert.Equal(50, Admitted(limiter, Request(path: "/api/items", method: "GET"), 50));
        Assert.Equal(2, Admitted(limiter, Request(path: "/api/items", method: "POST"), 5));
    }

    [Fact]
    public void Check_LastInstantOfTheWindow_StillRefused()
    {
        var limiter = new RateLimiter([Rule(limit: 10)], _time);
        Admitted(limiter, Request(), 10);

        _time.Advance(TimeSpan.FromSeconds(60) - TimeSpan.FromTicks(1));

        Assert.False(limiter.Check(Request()).IsAllowed);
    }

    [Fact]
    public void Check_FirstInstantOfTheNextWindow_PreviousWindowStillWeighsFully()
    {
        var limiter = new RateLimiter([Rule(limit: 10)], _time);
        Admitted(limiter, Request(), 10);

        _time.Advance(TimeSpan.FromSeconds(60));

        // 10 × (1 − 0) + 0 = 10: a fixed window would have reset here.
        Assert.False(limiter.Check(Request()).IsAllowed);
    }

    [Theory]
    [InlineData(6, 1)]
    [InlineData(30, 5)]
    [InlineData(54, 9)]
    [InlineData(60, 10)]
    [InlineData(120, 10)]
    public void Check_IntoTheNextWindow_AdmitsWhatThePreviousWindowsFadedWeightLeaves(int secondsIntoNextWindow, int expected)
    {
        var limiter = new RateLimiter([Rule(limit: 10)], _time);
        Admitted(limiter, Request(), 10);

        _time.Advance(TimeSpan.FromSeconds(60 + secondsIntoNextWindow));

        Assert.Equal(expected, Admitted(limiter, Request(), 20));
    }

    [Fact]
    public void Check_RefusedRequests_AreNotCounted()
    {
        var limiter = new RateLimiter([Rule(limit: 10)], _time);
        Admitted(limiter, Request(), 1000);

        _time.Advance(TimeSpan.FromSeconds(90));

        // Only the 10 admitted weigh (10 × 0.5): had the 990 refused counted, nothing would pass.
        Assert.Equal(5, Admitted(limiter, Request(), 20));
    }

    [Fact]
    public void Check_OverTheLimit_RetryAfterIsTheTimeUntilTheWindowLetsTheKeyIn()
    {
        var limiter = new RateLimiter([Rule(limit: 10)], _time);
        Admitted(limiter, Request(), 10);
        _time.Advance(TimeSpan.FromSeconds(20));

        var decision = limiter.Check(Request());

        // The 10 of this window weigh 10 until the next window starts, in 40 s: let in a tick after.
        Assert.InRange(decision.RetryAfter, TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(40.001));
        Assert.Equal(41, decision.RetryAfterSeconds);
    }

    [Fact]
    public void Check_KeyThatExceededByFarInThePreviousWindow_RetryAfterCoversTheFade()
    {
        // A requests rule never counts past its limit; a failures rule does: 20 failures against a limit of 10.
        var rule = Rule(limit: 10) with { Kind = RateLimitKind.Failures };
        var limiter = new RateLimiter([rule], _time);
        for (var i = 0; i < 20; i++)
        {
            limiter.ObserveResponse(Request(), 401);
        }

        var decision = limiter.Check(Request());

        // To the window's end (60 s), then until 20 × (1 − f) < 10: half the next window (30 s).
        Assert.InRange(decision.RetryAfter, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(90.001));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(15, 0)]
    [InlineData(0, 63)]
    [InlineData(0, 66)]
    [InlineData(0, 90)]
    [InlineData(30, 100)]
    [InlineData(59, 61)]
    public void Check_WaitingRetryAfter_LetsTheKeyInAndASecondLessDoesNot(int firstAt, int secondsBetween)
    {
        var limiter = new RateLimiter([Rule(limit: 10)], _time);
        _time.Advance(TimeSpan.FromSeconds(firstAt));
        Admitted(limiter, Request(), 10);
        _time.Advance(TimeSpan.FromSeconds(secondsBetween));
        Admitted(limiter, Request(), 10);

        var decision = limiter.Check(Request());
        Assert.False(decision.IsAllowed);
        var wait = decision.RetryAfterSeconds;
        _time.Advance(TimeSpan.FromSeconds(wait - 1));
        if (wait > 1)
        {
            Assert.False(limiter.Check(Request()).IsAllowed);
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.Check(Request()).IsAllowed);
    }

    [Fact]
    public void I07_WallClockStepForward_DoesNotResetAFullKey()
    {
        var limiter = new RateLimiter([Rule(limit: 5)], _time);
        Assert.Equal(5, Admitted(limiter, Request(), 5));

        _time.StepWallClock(TimeSpan.FromDays(1));

        Assert.False(limiter.Check(Request()).IsAllowed);
    }

    [Fact]
    public void I07_WallClockStepBack_NeitherTripsNorResetsAPartlyUsedKey()
    {
        var limiter = new RateLimiter([Rule(limit: 5)], _time);
        Assert.Equal(3, Admitted(limiter, Request(), 3));

        _time.StepWallClock(TimeSpan.FromHours(-1));

        Assert.Equal(2, Admitted(limiter, Request(), 10));
    }

    [Fact]
    public void I07_MonotonicTimePassingWhileTheWallClockIsHeldBack_StillSlidesTheWindow()
    {
        var limiter = new RateLimiter([Rule(limit: 5)], _time);
        Admitted(limiter, Request(), 5);

        _time.AdvanceMonotonicOnly(TimeSpan.FromMinutes(2));

        Assert.Equal(5, Admitted(limiter, Request(), 10));
    }

    [Fact]
    public void Check_ManyThreadsOnOneKey_AdmitExactlyTheLimit()
    {
        var limiter = new RateLimiter([Rule(limit: 1000)], _time);
        var admitted = 0;

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            var n = Admitted(limiter, Request(), 500);
            Interlocked.Add(ref admitted, n);
        });

        // Each key's counts change under its own lock: exact, with no tolerance.
        Assert.Equal(1000, admitted);
    }

    [Fact]
    public void Check_ManyThreadsOnManyKeys_EachKeyAdmitsExactlyTheLimit()
    {
        var limiter = new RateLimiter([Rule(limit: 50)], _time);
        var admitted = new int[16];

        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var key = i % 16;
            Interlocked.Add(ref admitted[key], Admitted(limiter, Request(ip: $"198.51.100.{key}"), 40));
        });

        Assert.All(admitted, n => Assert.Equal(50, n));
    }

    [Theory]
    [InlineData("ip")]
    [InlineData("header:x-api-key")]
    [InlineData("cookie:session")]
    public void Check_KnownKey_AllocatesNothing(string key)
    {
        var limiter = new RateLimiter([Rule(limit: 1_000_000, key: key)], _time);
        var request = Request(ip: "2001:db8::42", headers: new Dictionary<string, string> { ["x-api-key"] = "k-123", ["Cookie"] = "a=1; session=s-456" });
        Admitted(limiter, request, 100);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var admitted = Admitted(limiter, request, 1000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1000, admitted);
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(59_900)]
    [InlineData(30_000)]
    public void Check_SteadyAttempts_EveryAlignedWindowAdmitsAtMostTheLimitAndEveryIntervalAtMostTwice(int quietMilliseconds)
    {
        // An attempt every 100 ms for ten windows, after a quiet start that puts the first burst at a window's end.
        const int Limit = 10;
        var limiter = new RateLimiter([Rule(limit: Limit)], _time);
        _time.Advance(TimeSpan.FromMilliseconds(quietMilliseconds));
        var admittedAt = new List<long>();
        for (var t = quietMilliseconds; t < 600_000; t += 100)
        {
            if (limiter.Check(Request()).IsAllowed)
            {
                admittedAt.Add(t);
            }

            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        Assert.All(admittedAt.GroupBy(t => t / 60_000), window => Assert.InRange(window.Count(), 1, Limit));
        var first = 0;
        var most = 0;
        for (var last = 0; last < admittedAt.Count; last++)
        {
            while (admittedAt[last] - admittedAt[first] >= 60_000)
            {
                first++;
            }

            most = Math.Max(most, last - first + 1);
        }

        Assert.InRange(most, Limit, 2 * Limit);
    }
}
