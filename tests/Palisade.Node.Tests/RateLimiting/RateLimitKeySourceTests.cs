using Palisade.Node.RateLimiting;
using Palisade.Node.Tests.Infrastructure;
using static Palisade.Node.Tests.RateLimiting.RateLimitTestRequests;

namespace Palisade.Node.Tests.RateLimiting;

/// <summary>Each key source buckets requests by its value, and a missing key leaves the request to other rules.</summary>
public sealed class RateLimitKeySourceTests
{
    private readonly SplitClockTimeProvider _time = new();

    private static Dictionary<string, string> Headers(params (string Name, string Value)[] headers) =>
        headers.ToDictionary(h => h.Name, h => h.Value);

    [Fact]
    public void Check_HeaderKey_CountsPerHeaderValueAcrossAddresses()
    {
        var limiter = new RateLimiter([Rule(limit: 2, key: "header:X-Api-Key")], _time);

        Assert.Equal(1, Admitted(limiter, Request(ip: "192.0.2.1", headers: Headers(("x-api-key", "k1"))), 1));
        Assert.Equal(1, Admitted(limiter, Request(ip: "192.0.2.2", headers: Headers(("X-API-KEY", "k1"))), 5));
        Assert.Equal(2, Admitted(limiter, Request(ip: "192.0.2.2", headers: Headers(("x-api-key", "k2"))), 5));
    }

    [Fact]
    public void Check_HeaderKeyMissingOrEmpty_RuleDoesNotApply()
    {
        var limiter = new RateLimiter([Rule(limit: 2, key: "header:x-api-key")], _time);

        Assert.Equal(20, Admitted(limiter, Request(), 20));
        Assert.Equal(20, Admitted(limiter, Request(headers: Headers(("x-api-key", "  "))), 20));
        Assert.Equal(0, limiter.KeyCount("api"));
    }

    [Fact]
    public void Check_CookieKey_CountsPerCookieValueAmongOtherCookies()
    {
        var limiter = new RateLimiter([Rule(limit: 2, key: "cookie:session")], _time);

        Assert.Equal(2, Admitted(limiter, Request(headers: Headers(("Cookie", "theme=dark; session=abc; lang=en"))), 5));
        Assert.Equal(0, Admitted(limiter, Request(ip: "192.0.2.9", headers: Headers(("Cookie", "session=\"abc\""))), 5));
        Assert.Equal(2, Admitted(limiter, Request(headers: Headers(("Cookie", "session=def"))), 5));
    }

    [Fact]
    public void Check_CookieKeyMissing_RuleDoesNotApply()
    {
        var limiter = new RateLimiter([Rule(limit: 1, key: "cookie:session")], _time);

        Assert.Equal(10, Admitted(limiter, Request(headers: Headers(("Cookie", "sessionid=abc; xsession=abc; Session=abc"))), 10));
    }

    [Fact]
    public void Check_JsonKey_CountsPerNestedFieldValue()
    {
        var limiter = new RateLimiter([Rule(limit: 2, key: "json:user.login")], _time);

        Assert.Equal(2, Admitted(limiter, Request(json: """{"password":"x","user":{"id":1,"login":"alice"}}"""), 5));
        Assert.Equal(0, Admitted(limiter, Request(ip: "192.0.2.7", json: """{"user":{"login":"al\u0069ce"}}"""), 5));
        Assert.Equal(2, Admitted(limiter, Request(json: """{"user":{"login":"bob"}}"""), 5));
    }

    [Fact]
    public void Check_JsonKeyWithDuplicateNames_CountsTheLastAsMostParsersDo()
    {
        var limiter = new RateLimiter([Rule(limit: 2, key: "json:username")], _time);

        Assert.Equal(2, Admitted(limiter, Request(json: """{"username":"decoy1","username":"victim"}"""), 3));
        Assert.Equal(0, Admitted(limiter, Request(json: """{"username":"decoy2","username":"victim"}"""), 3));
    }

    [Fact]
    public void Check_JsonKeyNumberOrBoolean_IsAKey()
    {
        var limiter = new RateLimiter([Rule(limit: 1, key: "json:account")], _time);

        Assert.Equal(1, Admitted(limiter, Request(json: """{"account":12345}"""), 3));
        Assert.Equal(1, Admitted(limiter, Request(json: """{"account":true}"""), 3));
    }

    [Theory]
    [InlineData("""{"user":{"name":"alice"}}""", "application/json")]
    [InlineData("""{"user":"alice"}""", "application/json")]
    [InlineData("""{"user":{"login":{"first":"a"}}}""", "application/json")]
    [InlineData("""{"user":{"login":["alice"]}}""", "application/json")]
    [InlineData("""{"user":{"login":null}}""", "application/json")]
    [InlineData("""{"user":{"login":""}}""", "application/json")]
    [InlineData("""[{"user":{"login":"alice"}}]""", "application/json")]
    [InlineData("""{"user":{"login":"alice"}""", "application/json")]
    [InlineData("""{"user":{"login":"alice"}}""", "application/x-www-form-urlencoded")]
    [InlineData("user.login=alice", "application/x-www-form-urlencoded")]
    public void Check_JsonKeyMissingOrBodyNotJson_RuleDoesNotApply(string body, string contentType)
    {
        var limiter = new RateLimiter([Rule(limit: 1, key: "json:user.login")], _time);

        Assert.Equal(5, Admitted(limiter, Request(json: body, headers: Headers(("Content-Type", contentType))), 5));
    }

    [Fact]
    public void Check_JsonKeyWithContentTypeGivenExplicitly_ReadsTheBody()
    {
        var limiter = new RateLimiter([Rule(limit: 1, key: "json:u")], _time);
        var request = Request(json: """{"u":"alice"}""", headers: Headers(("Content-Type", "text/plain"))) with { ContentType = "application/vnd.api+json" };

        Assert.Equal(1, Admitted(limiter, request, 3));
    }

    [Fact]
    public void Check_JwtKey_CountsPerClaimWhateverTheSignature()
    {
        var limiter = new RateLimiter([Rule(limit: 2, key: "jwt:sub")], _time);
        var alice = Headers(("Authorization", Bearer("""{"sub":"alice","iat":1}""", "c2lnMQ")));
        var aliceForged = Headers(("Authorization", Bearer("""{"iat":2,"sub":"alice"}""", "Zm9yZ2Vk")));
        var bob = Headers(("Authorization", Bearer("""{"sub":"bob"}""")));

        Assert.Equal(1, Admitted(limiter, Request(headers: alice), 1));
        Assert.Equal(1, Admitted(limiter, Request(ip: "192.0.2.50", headers: aliceForged), 5));
        Assert.Equal(2, Admitted(limiter, Request(headers: bob), 5));
    }

    [Theory]
    [InlineData("Basic YWxpY2U6cGFzcw==")]
    [InlineData("Bearer opaque-token-without-dots")]
    [InlineData("Bearer a.b")]
    [InlineData("Bearer eyJhbGciOiJIUzI1NiJ9.!!!notbase64!!!.sig")]
    [InlineData("Bearer eyJhbGciOiJIUzI1NiJ9.eyJuYW1lIjoiYWxpY2UifQ.sig")]
    [InlineData("Bearer a.b.c.d")]
    public void Check_JwtKeyMissingOrTokenUnreadable_RuleDoesNotApply(string authorization)
    {
        var limiter = new RateLimiter([Rule(limit: 1, key: "jwt:sub")], _time);

        Assert.Equal(5, Admitted(limiter, Request(headers: Headers(("Authorization", authorization))), 5));
    }

    [Fact]
    public void Check_IpKeyWithoutClientAddress_RuleDoesNotApply()
    {
        var limiter = new RateLimiter([Rule(limit: 1)], _time);

        Assert.Equal(5, Admitted(limiter, Request(ip: ""), 5));
    }

    [Fact]
    public void Check_LongKeys_AreHashedAndStillCountedApart()
    {
        var limiter = new RateLimiter([Rule(limit: 1, key: "header:x-api-key")], _time);
        var first = new string('a', 5000);
        var second = new string('a', 4999) + "b";

        Assert.Equal(1, Admitted(limiter, Request(headers: Headers(("x-api-key", first))), 3));
        Assert.Equal(1, Admitted(limiter, Request(headers: Headers(("x-api-key", second))), 3));
        Assert.Equal(0, Admitted(limiter, Request(headers: Headers(("x-api-key", first))), 3));
        Assert.Equal(2, limiter.KeyCount("api"));
    }

    [Fact]
    public void Check_MissingKeyOnOneRule_OtherRulesStillApply()
    {
        var limiter = new RateLimiter([Rule("by-key", limit: 1, key: "header:x-api-key"), Rule("by-ip", limit: 3)], _time);

        var decisions = Enumerable.Range(0, 5).Select(_ => limiter.Check(Request())).ToList();

        Assert.Equal(3, decisions.Count(d => d.IsAllowed));
        Assert.All(decisions.Where(d => !d.IsAllowed), d => Assert.Equal("by-ip", d.Rule?.Name));
    }

    [Theory]
    [InlineData("ip", RateLimitKeyKind.Ip, "")]
    [InlineData("IP", RateLimitKeyKind.Ip, "")]
    [InlineData("header:X-Api-Key", RateLimitKeyKind.Header, "x-api-key")]
    [InlineData("cookie:Session", RateLimitKeyKind.Cookie, "Session")]
    [InlineData("json:user.login", RateLimitKeyKind.Json, "user.login")]
    [InlineData("jwt:sub", RateLimitKeyKind.Jwt, "sub")]
    public void Parse_ValidSource_ReadsKindAndName(string text, RateLimitKeyKind kind, string name)
    {
        var source = RateLimitKeySource.Parse(text);

        Assert.Equal(kind, source.Kind);
        Assert.Equal(name, source.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("address")]
    [InlineData("header")]
    [InlineData("header:")]
    [InlineData("cookie:a b")]
    [InlineData("json:user..login")]
    [InlineData("json:.user")]
    [InlineData("query:id")]
    public void Parse_InvalidSource_Throws(string text) =>
        Assert.Throws<FormatException>(() => RateLimitKeySource.Parse(text));
}
