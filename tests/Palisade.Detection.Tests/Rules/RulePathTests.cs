using Palisade.Detection.Rules;

namespace Palisade.Detection.Tests.Rules;

public sealed class RulePathTests
{
    [Theory]
    [InlineData("/admin", "/admin")]
    [InlineData("/a/../admin", "/admin")]
    [InlineData("/a/%2e%2e/admin", "/admin")]
    [InlineData("/a/%2E%2E/admin", "/admin")]
    [InlineData("/a/..;/admin", "/admin")]
    [InlineData("/admin;jsessionid=1", "/admin")]
    [InlineData("//admin", "/admin")]
    [InlineData("///admin", "/admin")]
    [InlineData("/a\\..\\admin", "/admin")]
    [InlineData("/%2e%2e%2fadmin", "/admin")]
    [InlineData("/../../admin", "/admin")]
    [InlineData("/admin/.", "/admin/")]
    [InlineData("/admin/", "/admin/")]
    [InlineData("/", "/")]
    [InlineData("/..", "/")]
    [InlineData("/files/a%2Fb", "/files/a/b")]
    public void Normalize_Variants_ResolveAsTheApplicationWould(string raw, string expected)
    {
        Assert.Equal(expected, RulePath.Normalize(raw).Value);
    }

    [Theory]
    [InlineData("/a/%252e%252e/admin", 2)]
    [InlineData("/a/%25252e%25252e/admin", 3)]
    [InlineData("/a/%2e%2e/admin", 1)]
    [InlineData("/admin", 0)]
    public void Normalize_NestedEscapes_AreUndoneAndCounted(string raw, int rounds)
    {
        var path = RulePath.Normalize(raw);

        Assert.Equal(rounds, path.DecodeRounds);
        Assert.Equal(rounds > 1, path.MultipleEncoded);
        if (rounds > 0)
        {
            Assert.Equal("/admin", path.Value);
        }
    }

    [Fact]
    public void Normalize_MoreRoundsThanTheLimit_StopsAtTheLimit()
    {
        var raw = "/%" + string.Concat(Enumerable.Repeat("25", 10)) + "41";

        var path = RulePath.Normalize(raw);

        Assert.Equal(RulePath.MaxDecodeRounds, path.DecodeRounds);
    }

    [Fact]
    public void LowerValue_MixedCase_IsLowerCase()
    {
        Assert.Equal("/admin/x", RulePath.Normalize("/ADMIN/X").LowerValue);
    }

    [Theory]
    [InlineData("/admin", "/admin", false)]
    [InlineData("/a/../admin", "/admin", true)]
    [InlineData("/a/%2e%2e/admin", "/admin", true)]
    [InlineData("/a/%ff/%2e%2e/admin", "/a/admin", true)]
    [InlineData("/static/%2e%2e/admin/%ff/..%2f..%2fstatic/x", "/admin/%ff/..%2f..%2fstatic/x", true)]
    [InlineData("/a/..;/admin", "/a/..;/admin", true)]
    [InlineData("/admin;jsessionid=1", "/admin;jsessionid=1", true)]
    [InlineData("//admin", "//admin", true)]
    [InlineData("/a\\..\\admin", "/a\\..\\admin", true)]
    [InlineData("/files/a%2Fb", "/files/a%2Fb", true)]
    [InlineData("/files/a%2fb", "/files/a%2fb", true)]
    [InlineData("/a/%252e%252e/admin", "/a/%2e%2e/admin", true)]
    [InlineData("/a/b/..%2F..%2Fadmin", "/a/b/..%2F..%2Fadmin", true)]
    [InlineData("/caf%C3%A9", "/caf\u00e9", true)]
    [InlineData("/bad%C3", "/bad%C3", true)]
    [InlineData("/x/%zz", "/x/%zz", false)]
    [InlineData("/admin/.", "/admin/", true)]
    [InlineData("/..", "/", true)]
    public void Literal_ResolvesNoFurtherThanKestrel(string raw, string literal, bool ambiguous)
    {
        var path = RulePath.Normalize(raw);

        Assert.Equal(literal, path.Literal);
        Assert.Equal(raw, path.Raw);
        Assert.Equal(ambiguous, path.IsAmbiguous);
    }

    [Fact]
    public void Literal_PlainPath_IsTheSameString()
    {
        var path = RulePath.Normalize("/shop/items");

        Assert.Same(path.Value, path.Literal);
        Assert.False(path.IsAmbiguous);
    }

    [Theory]
    [InlineData("/api/..;/static/x", true, false)]
    [InlineData("/static/..;/api/x", true, false)]
    [InlineData("/static/x", true, true)]
    [InlineData("/api/x", false, false)]
    [InlineData("/admin/../static/x", true, false)]
    [InlineData("/admin/%2e%2e/static/x", true, false)]
    [InlineData("/%73tatic/x", true, false)]
    [InlineData("/static/a%2Fb", true, true)]
    public void Matchers_RelaxUnderBothReadingsAndTightenUnderEither(string raw, bool either, bool both)
    {
        var scope = new RequestMatcher(null, PathPattern.TryCreate("/static", PathMatchKind.Prefix, caseSensitive: true, out _), null);
        var path = RulePath.Normalize(raw);

        Assert.Equal(either, scope.MatchesEither("GET", "h", path));
        Assert.Equal(both, scope.MatchesBoth("GET", "h", path));
    }
}
