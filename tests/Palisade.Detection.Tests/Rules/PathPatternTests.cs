using Palisade.Detection.Rules;

namespace Palisade.Detection.Tests.Rules;

public sealed class PathPatternTests
{
    [Theory]
    [InlineData("/api", "/api", true)]
    [InlineData("/api", "/api/users", true)]
    [InlineData("/api", "/apix", false)]
    [InlineData("/api/", "/api/users", true)]
    [InlineData("/api/", "/api", true)]
    [InlineData("/api", "/", false)]
    [InlineData("/", "/anything", true)]
    public void Matches_Prefix_IsSegmentAware(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, Create(pattern, PathMatchKind.Prefix).Matches(RulePath.Normalize(path)));
    }

    [Theory]
    [InlineData("/login", "/login", true)]
    [InlineData("/login", "/login/", true)]
    [InlineData("/login", "/login/x", false)]
    [InlineData("/login", "//login", true)]
    public void Matches_Exact_IgnoresATrailingSlash(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, Create(pattern, PathMatchKind.Exact).Matches(RulePath.Normalize(path)));
    }

    [Theory]
    [InlineData("/users/*/avatar", "/users/42/avatar", true)]
    [InlineData("/users/*/avatar", "/users/42/x/avatar", false)]
    [InlineData("/static/**.js", "/static/a/b/c.js", true)]
    [InlineData("/static/**.js", "/static/a/b/c.css", false)]
    public void Matches_Glob_StarsStayInTheirSegment(string pattern, string path, bool expected)
    {
        Assert.Equal(expected, Create(pattern, PathMatchKind.Glob).Matches(RulePath.Normalize(path)));
    }

    [Theory]
    [InlineData(true, "/ADMIN", false)]
    [InlineData(false, "/ADMIN", true)]
    [InlineData(false, "/Admin/Users", true)]
    [InlineData(true, "/admin/users", true)]
    public void Matches_CaseSensitivity_IsASetting(bool caseSensitive, string path, bool expected)
    {
        var pattern = PathPattern.TryCreate("/admin", PathMatchKind.Prefix, caseSensitive, out _)!;

        Assert.Equal(expected, pattern.Matches(RulePath.Normalize(path)));
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("")]
    [InlineData("/a?b=1")]
    [InlineData("/a#x")]
    [InlineData("/a b")]
    public void TryCreate_NotAPath_IsRefusedWithAReason(string text)
    {
        Assert.Null(PathPattern.TryCreate(text, PathMatchKind.Prefix, true, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void TryCreate_StarWithoutGlob_IsRefused()
    {
        Assert.Null(PathPattern.TryCreate("/a/*", PathMatchKind.Prefix, true, out var error));
        Assert.Contains("glob", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/a//*")]
    [InlineData("/a/./*")]
    [InlineData("/a/../*")]
    [InlineData("/a/*/..")]
    [InlineData("/a%2F*")]
    [InlineData("/a\\*")]
    [InlineData("/a;x/*")]
    public void TryCreate_GlobNotInNormalForm_IsRefused(string text)
    {
        Assert.Null(PathPattern.TryCreate(text, PathMatchKind.Glob, true, out var error));
        Assert.Contains("normalised", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/a/*/")]
    [InlineData("/**")]
    [InlineData("/a.b/*.json")]
    public void TryCreate_GlobInNormalForm_IsAccepted(string text)
    {
        Assert.NotNull(PathPattern.TryCreate(text, PathMatchKind.Glob, true, out _));
    }

    [Fact]
    public void Matches_GlobOverALongPath_MatchesAsAShortOne()
    {
        var pattern = Create("/files/**/*.php", PathMatchKind.Glob);
        var deep = "/files/" + string.Concat(Enumerable.Repeat("dir/", 400));

        Assert.True(pattern.Matches(RulePath.Normalize(deep + "x.php")));
        Assert.False(pattern.Matches(RulePath.Normalize(deep + "x.phps")));
        Assert.True(pattern.Matches(RulePath.Normalize(deep + "x.php")));
    }

    private static PathPattern Create(string text, PathMatchKind kind) =>
        PathPattern.TryCreate(text, kind, caseSensitive: true, out var error) ?? throw new InvalidOperationException(error);
}
