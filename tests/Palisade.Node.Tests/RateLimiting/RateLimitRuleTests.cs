using Palisade.Node.RateLimiting;
using static Palisade.Node.Tests.RateLimiting.RateLimitTestRequests;

namespace Palisade.Node.Tests.RateLimiting;

public sealed class RateLimitRuleTests
{
    [Theory]
    [InlineData("GET", "shop.example", "/anything", true)]
    [InlineData("POST", "other.example:8080", "/", true)]
    public void Matches_RuleWithoutConditions_MatchesEverything(string method, string host, string path, bool expected) =>
        Assert.Equal(expected, Rule().Matches(method, host, path));

    [Theory]
    [InlineData("/api/", "/api/items", true)]
    [InlineData("/api/", "/API/items", true)]
    [InlineData("/api/", "/api", false)]
    [InlineData("/api/", "/static/api/", false)]
    [InlineData("/login", "/login.php", true)]
    public void Matches_PathPrefix_ComparesTheStartOfTheNormalizedPath(string prefix, string path, bool expected) =>
        Assert.Equal(expected, (Rule() with { PathPrefix = prefix }).Matches("GET", "h", path));

    [Theory]
    [InlineData("POST", true)]
    [InlineData("post", true)]
    [InlineData("PUT", true)]
    [InlineData("GET", false)]
    public void Matches_Methods_MatchesListedMethodsOnly(string method, bool expected) =>
        Assert.Equal(expected, (Rule() with { Methods = ["POST", "PUT"] }).Matches(method, "h", "/"));

    [Theory]
    [InlineData("shop.example", true)]
    [InlineData("SHOP.example", true)]
    [InlineData("shop.example:8443", true)]
    [InlineData("shop.example.evil", false)]
    [InlineData("shop.example:", false)]
    [InlineData("shop.example:80x", false)]
    [InlineData("www.shop.example", false)]
    public void Matches_Host_MatchesTheHostWithAnyPort(string host, bool expected) =>
        Assert.Equal(expected, (Rule() with { Host = "shop.example" }).Matches("GET", host, "/"));

    [Fact]
    public void Equals_SameParametersInNewLists_AreEqual()
    {
        var a = Rule() with { Methods = ["POST"], Statuses = [401] };
        var b = Rule() with { Methods = ["POST"], Statuses = [401] };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Methods = ["PUT"] });
        Assert.NotEqual(a, b with { Window = TimeSpan.FromSeconds(61) });
        Assert.NotEqual(a, b with { Action = RateLimitAction.Graylist });
    }
}
