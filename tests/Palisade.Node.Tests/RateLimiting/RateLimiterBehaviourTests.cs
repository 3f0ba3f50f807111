using System.Net;
using Palisade.Node.Metrics;
using Palisade.Node.RateLimiting;
using Palisade.Node.Tests.Infrastructure;
using static Palisade.Node.Tests.RateLimiting.RateLimitTestRequests;

namespace Palisade.Node.Tests.RateLimiting;

/// <summary>Failures rules, the graylist action, the key bound, reload carry-over and metrics.</summary>
public sealed class RateLimiterBehaviourTests
{
    private readonly SplitClockTimeProvider _time = new();

    private static RateLimitRule LoginRule(int limit = 5, IReadOnlyList<int>? statuses = null, RateLimitAction action = RateLimitAction.Reject) =>
        Rule("login-bruteforce", limit: limit, windowSeconds: 300, key: "json:username") with
        {
            PathPrefix = "/login",
            Kind = RateLimitKind.Failures,
            Statuses = statuses ?? RateLimitRule.DefaultFailureStatuses,
            Action = action,
            GraylistFor = action == RateLimitAction.Graylist ? TimeSpan.FromMinutes(15) : TimeSpan.Zero,
        };

    private static RateLimitRequest Login(string username = "alice", string ip = "203.0.113.5") =>
        Request(ip: ip, path: "/login", method: "POST", json: $$"""{"username":"{{username}}","password":"guess"}""");

    [Fact]
    public void Check_FailuresRuleWithoutFailures_NeverRefuses()
    {
        var limiter = new RateLimiter([LoginRule()], _time);

        for (var i = 0; i < 50; i++)
        {
            Assert.True(limiter.Check(Login()).IsAllowed);
            limiter.ObserveResponse(Login(), 200);
        }
    }

    [Fact]
    public void Check_AfterTheNthFailure_TheNextAttemptIsRefused()
    {
        var limiter = new RateLimiter([LoginRule(limit: 5)], _time);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(limiter.Check(Login()).IsAllowed);
            limiter.ObserveResponse(Login(), i % 2 == 0 ? 401 : 403);
        }

        var decision = limiter.Check(Login());

        Assert.Equal(RateLimitDecisionKind.Reject, decision.Kind);
        Assert.Equal(300, decision.RetryAfterSeconds - 1);
        Assert.True(limiter.Check(Login(username: "bob")).IsAllowed);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(302)]
    [InlineData(404)]
    [InlineData(429)]
    [InlineData(500)]
    public void ObserveResponse_StatusNotListed_IsNotCounted(int status)
    {
        var limiter = new RateLimiter([LoginRule(limit: 1)], _time);

        limiter.ObserveResponse(Login(), status);

        Assert.True(limiter.Check(Login()).IsAllowed);
        Assert.Equal(0, limiter.KeyCount("login-bruteforce"));
    }

    [Fact]
    public void ObserveResponse_429Listed_IsCounted()
    {
        var limiter = new RateLimiter([LoginRule(limit: 1, statuses: [401, 403, 429])], _time);

        limiter.ObserveResponse(Login(), 429);

        Assert.False(limiter.Check(Login()).IsAllowed);
    }

    [Fact]
    public void ObserveResponse_RequestOutsideTheRulesPath_IsNotCounted()
    {
        var limiter = new RateLimiter([LoginRule(limit: 1)], _time);

        limiter.ObserveResponse(Login() with { NormalizedPath = "/api/orders" }, 401);

        Assert.True(limiter.Check(Login()).IsAllowed);
    }

    [Fact]
    public void Check_GraylistRuleOverItsLimit_GraylistsTheSourceIpThroughTheCallback()
    {
        var graylisted = new List<(IPAddress Ip, TimeSpan For, string Rule)>();
        var limiter = new RateLimiter([LoginRule(limit: 3, action: RateLimitAction.Graylist)], _time,
            onGraylist: (ip, duration, rule) => graylisted.Add((ip, duration, rule.Name)));
        for (var i = 0; i < 3; i++)
        {
            limiter.ObserveResponse(Login(ip: $"203.0.113.{i + 1}"), 401);
        }

        Assert.Empty(graylisted);
        var decision = limiter.Check(Login(ip: "203.0.113.77"));

        Assert.Equal(RateLimitDecisionKind.Graylist, decision.Kind);
        Assert.Equal(IPAddress.Parse("203.0.113.77"), decision.ClientIp);
        Assert.Equal(TimeSpan.FromMinutes(15), decision.GraylistFor);
        Assert.Equal((IPAddress.Parse("203.0.113.77"), TimeSpan.FromMinutes(15), "login-bruteforce"), Assert.Single(graylisted));
    }

    [Fact]
    public void Check_GraylistedIpKeepsSending_CallbackOncePerGraylistPeriodAndAddress()
    {
        var handedOver = new List<IPAddress>();
        var limiter = new RateLimiter([LoginRule(limit: 1, action: RateLimitAction.Graylist)], _time, onGraylist: (ip, _, _) => handedOver.Add(ip));
        limiter.ObserveResponse(Login(), 401);

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(RateLimitDecisionKind.Graylist, limiter.Check(Login(ip: "203.0.113.5")).Kind);
        }

        limiter.Check(Login(ip: "203.0.113.6"));
        _time.Advance(TimeSpan.FromMinutes(15));
        limiter.ObserveResponse(Login(), 401);
        limiter.Check(Login(ip: "203.0.113.5"));

        Assert.Equal(["203.0.113.5", "203.0.113.6", "203.0.113.5"], handedOver.Select(ip => ip.ToString()));
    }

    [Fact]
    public void Check_GraylistRuleWithoutClientAddress_Rejects()
    {
        var limiter = new RateLimiter([LoginRule(limit: 1, action: RateLimitAction.Graylist)], _time, onGraylist: (_, _, _) => Assert.Fail("no address to graylist"));
        limiter.ObserveResponse(Login(), 401);

        Assert.Equal(RateLimitDecisionKind.Reject, limiter.Check(Login(ip: "")).Kind);
    }

    [Fact]
    public void Check_GraylistCallbackThrows_TheRequestIsStillRefused()
    {
        var limiter = new RateLimiter([LoginRule(limit: 1, action: RateLimitAction.Graylist)], _time, onGraylist: (_, _, _) => throw new InvalidOperationException("list full"));
        limiter.ObserveResponse(Login(), 401);

        Assert.Equal(RateLimitDecisionKind.Graylist, limiter.Check(Login()).Kind);
    }

    [Fact]
    public void Check_ManyNewKeys_KeyCountStaysWithinTheBoundAndTheLeastRecentAreEvicted()
    {
        var limiter = new RateLimiter([Rule(limit: 1) with { MaxKeys = 100 }], _time);
        for (var i = 0; i < 1000; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            limiter.Check(Request(ip: $"10.0.{i / 256}.{i % 256}"));
            Assert.InRange(limiter.KeyCount("api"), 1, 100);
        }

        Assert.True(limiter.LruEvictions("api") >= 900);
        Assert.Equal(0, limiter.ExpiredEvictions("api"));
        // The most recent key is still counted; the first one was dropped and starts again.
        Assert.False(limiter.Check(Request(ip: "10.0.3.231")).IsAllowed);
        Assert.True(limiter.Check(Request(ip: "10.0.0.0")).IsAllowed);
    }

    [Fact]
    public void Check_ManyThreadsAddingNewKeys_KeyCountStaysWithinTheBoundPlusTheThreads()
    {
        const int Threads = 8;
        var limiter = new RateLimiter([Rule(limit: 1) with { MaxKeys = 500 }], _time);
        var most = 0;

        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            for (var i = 0; i < 5000; i++)
            {
                limiter.Check(Request(ip: $"10.{t}.{i / 256}.{i % 256}"));
                var count = limiter.KeyCount("api");
                int seen;
                do
                {
                    seen = Volatile.Read(ref most);
                }
                while (count > seen && Interlocked.CompareExchange(ref most, count, seen) != seen);
            }
        });

        // Between a sweep and the next, each thread may add the one key it was adding when the bound was reached.
        Assert.InRange(most, 500, 500 + Threads);
        Assert.InRange(limiter.KeyCount("api"), 1, 500 + Threads);
        Assert.True(limiter.LruEvictions("api") >= (Threads * 5000) - 500 - Threads);
    }

    [Fact]
    public void Check_TableFullOfExpiredKeys_DropsThemBeforeAnyLiveKey()
    {
        var limiter = new RateLimiter([Rule(limit: 1) with { MaxKeys = 10 }], _time);
        for (var i = 0; i < 10; i++)
        {
            limiter.Check(Request(ip: $"10.0.0.{i}"));
        }

        _time.Advance(TimeSpan.FromMinutes(3));
        limiter.Check(Request(ip: "10.0.1.1"));

        Assert.Equal(10, limiter.ExpiredEvictions("api"));
        Assert.Equal(0, limiter.LruEvictions("api"));
        Assert.Equal(1, limiter.KeyCount("api"));
    }

    [Fact]
    public void I07_ReloadWithUnchangedRules_KeepsTheirCounts()
    {
        var limiter = new RateLimiter([Rule(limit: 3), LoginRule(limit: 1)], _time);
        Admitted(limiter, Request(), 3);
        limiter.ObserveResponse(Login(), 401);

        var reloaded = limiter.WithRules([Rule(limit: 3), LoginRule(limit: 1)]);

        Assert.False(reloaded.Check(Request()).IsAllowed);
        Assert.False(reloaded.Check(Login()).IsAllowed);
    }

    [Fact]
    public void WithRules_RuleWithAChangedLimit_StartsFromZero()
    {
        var limiter = new RateLimiter([Rule(limit: 3)], _time);
        Admitted(limiter, Request(), 3);

        var reloaded = limiter.WithRules([Rule(limit: 4)]);

        Assert.Equal(4, Admitted(reloaded, Request(), 10));
    }

    [Fact]
    public void WithRules_OneRuleChanged_TheOthersKeepTheirCounts()
    {
        var limiter = new RateLimiter([Rule("a", limit: 2), Rule("b", limit: 2, key: "header:x-api-key")], _time);
        var request = Request(headers: new Dictionary<string, string> { ["x-api-key"] = "k" });
        Admitted(limiter, request, 2);

        var reloaded = limiter.WithRules([Rule("a", limit: 2), Rule("b", limit: 2, key: "header:x-token")]);

        Assert.Equal(0, Admitted(reloaded, request, 3));
        Assert.Equal(1, reloaded.KeyCount("a"));
        Assert.Equal(0, reloaded.KeyCount("b"));
    }

    [Fact]
    public void WithRules_RuleRemovedThenAddedBack_StartsFromZero()
    {
        var limiter = new RateLimiter([Rule(limit: 2)], _time);
        Admitted(limiter, Request(), 2);

        var reloaded = limiter.WithRules([]).WithRules([Rule(limit: 2)]);

        Assert.Equal(2, Admitted(reloaded, Request(), 5));
    }

    [Fact]
    public void Constructor_DuplicateNames_Throws() =>
        Assert.Throws<ArgumentException>(() => new RateLimiter([Rule("a"), Rule("a", limit: 5)], _time));

    [Fact]
    public void Check_WithMetrics_CountsHitsKeysAndEvictionsByRule()
    {
        var metrics = new NodeMetrics("blocking");
        var limiter = new RateLimiter([Rule(limit: 1) with { MaxKeys = 10 }, LoginRule(limit: 1, action: RateLimitAction.Graylist)], _time, metrics);
        Admitted(limiter, Request(), 3);
        limiter.ObserveResponse(Login(), 401);
        limiter.Check(Login());
        for (var i = 0; i < 20; i++)
        {
            limiter.Check(Request(ip: $"10.1.0.{i}"));
        }

        var text = Scrape(metrics);

        Assert.Contains("palisade_rate_limit_hits_total{rule=\"api\",action=\"reject\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("palisade_rate_limit_hits_total{rule=\"login-bruteforce\",action=\"graylist\"} 1", text, StringComparison.Ordinal);
        Assert.Contains($"palisade_rate_limit_keys{{rule=\"api\"}} {limiter.KeyCount("api")}", text, StringComparison.Ordinal);
        Assert.Contains($"palisade_rate_limit_evictions_total{{rule=\"api\",reason=\"lru\"}} {limiter.LruEvictions("api")}", text, StringComparison.Ordinal);
        Assert.True(limiter.LruEvictions("api") > 0);
    }

    [Fact]
    public void WithRules_ChangedRule_KeysGaugeShowsOnlyTheNewTable()
    {
        var metrics = new NodeMetrics("blocking");
        var limiter = new RateLimiter([Rule(limit: 1)], _time, metrics);
        for (var i = 0; i < 5; i++)
        {
            limiter.Check(Request(ip: $"10.2.0.{i}"));
        }

        var reloaded = limiter.WithRules([Rule(limit: 2)]);
        reloaded.Check(Request());

        Assert.Contains("palisade_rate_limit_keys{rule=\"api\"} 1", Scrape(metrics), StringComparison.Ordinal);
    }

    private static string Scrape(NodeMetrics metrics)
    {
        using var stream = new MemoryStream();
        metrics.Registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
