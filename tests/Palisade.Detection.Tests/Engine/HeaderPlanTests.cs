using Palisade.Detection.Engine;

namespace Palisade.Detection.Tests.Engine;

/// <summary>Per-name header plans: made once per spelling, the same for every spelling of a name, bounded.</summary>
public class HeaderPlanTests
{
    [Theory]
    [InlineData("Cookie", "Cookie")]
    [InlineData("COOKIE", "Cookie")]
    [InlineData("Content-Length", "Skip")]
    [InlineData("content-length", "Skip")]
    [InlineData("Sec-Fetch-Mode", "Skip")]
    [InlineData("User-Agent", "Inspect")]
    [InlineData("X-Custom-Thing", "Inspect")]
    public void PlanFor_AnySpelling_SameHandling(string name, string expected) =>
        Assert.Equal(expected, HeaderNames.PlanFor(name).Handling.ToString());

    [Theory]
    [InlineData("User-Agent", "user-agent", "ProductList")]
    [InlineData("ACCEPT-LANGUAGE", "accept-language", "ParameterList")]
    [InlineData("Referer", "referer", "PlainUrl")]
    [InlineData("X-Api-Key", "x-api-key", "None")]
    public void PlanFor_NamesPointAndOriginInLowerCase(string name, string lower, string grammar)
    {
        var plan = HeaderNames.PlanFor(name);

        Assert.Equal(lower, plan.Name);
        Assert.Equal("header." + lower, plan.Point.ToString());
        Assert.Equal(lower, plan.Origin.Header);
        Assert.Equal(grammar, plan.Grammar.ToString());
    }

    [Fact]
    public void PlanFor_SameName_ReusesThePlan()
    {
        var first = HeaderNames.PlanFor("X-Reused-Plan");

        Assert.Same(first, HeaderNames.PlanFor("X-Reused-Plan"));
        Assert.Equal("X-Reused-Plan", first.Spelling);
    }

    [Fact]
    public void PlanFor_MoreNamesThanTheCacheHolds_StillRight()
    {
        // A client can send any number of distinct names: they evict one another, and every plan stays right.
        for (var i = 0; i < 3000; i++)
        {
            var plan = HeaderNames.PlanFor($"X-Flood-{i}");
            Assert.Equal($"header.x-flood-{i}", plan.Point.ToString());
            Assert.Equal(HeaderHandling.Inspect, plan.Handling);
        }

        Assert.Equal(HeaderHandling.Cookie, HeaderNames.PlanFor("Cookie").Handling);
        var ordinary = HeaderNames.PlanFor("Accept");
        Assert.Same(ordinary, HeaderNames.PlanFor("Accept"));
    }
}
