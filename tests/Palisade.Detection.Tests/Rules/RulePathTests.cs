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
}
