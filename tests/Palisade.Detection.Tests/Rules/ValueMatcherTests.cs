using Palisade.Detection.Rules;

namespace Palisade.Detection.Tests.Rules;

public sealed class ValueMatcherTests
{
    [Theory]
    [InlineData(ValueMatchKind.Equals, "debug", false, "debug", true)]
    [InlineData(ValueMatchKind.Equals, "debug", false, "DEBUG", false)]
    [InlineData(ValueMatchKind.Equals, "debug", true, "DEBUG", true)]
    [InlineData(ValueMatchKind.Contains, "union", true, "1 UNION select", true)]
    [InlineData(ValueMatchKind.Contains, "union", false, "1 UNION select", false)]
    [InlineData(ValueMatchKind.Glob, "*.php", false, "shell.php", true)]
    [InlineData(ValueMatchKind.Glob, "*.php", false, "shell.php.jpg", false)]
    [InlineData(ValueMatchKind.Glob, "../*", false, "../../etc/passwd", true)]
    [InlineData(ValueMatchKind.Regex, "^[0-9]+$", false, "12345", true)]
    [InlineData(ValueMatchKind.Regex, "^[0-9]+$", false, "12a45", false)]
    [InlineData(ValueMatchKind.Regex, "^jndi:", true, "JNDI:ldap://x", true)]
    public void Matches_EachKind_ComparesAsDocumented(ValueMatchKind kind, string pattern, bool ignoreCase, string value, bool expected)
    {
        var matcher = ValueMatcher.TryCreate(kind, pattern, ignoreCase, out var error) ?? throw new InvalidOperationException(error);

        Assert.Equal(expected, matcher.Matches(value));
    }

    [Theory]
    [InlineData("(a")]
    [InlineData("(a)\\1")]
    [InlineData("(?=a)b")]
    public void TryCreate_InvalidOrBacktrackingRegex_IsRefused(string pattern)
    {
        Assert.Null(ValueMatcher.TryCreate(ValueMatchKind.Regex, pattern, false, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Matches_CatastrophicPatternOnLongInput_StaysLinear()
    {
        // (a+)+$ takes exponential time on a backtracking engine; on the non-backtracking one it is one pass.
        var matcher = ValueMatcher.TryCreate(ValueMatchKind.Regex, "(a+)+$", false, out _)!;

        Assert.False(matcher.Matches(new string('a', 50_000) + "!"));
    }

    [Fact]
    public void TryCreate_TooLongOrEmpty_IsRefused()
    {
        Assert.Null(ValueMatcher.TryCreate(ValueMatchKind.Contains, "", false, out _));
        Assert.Null(ValueMatcher.TryCreate(ValueMatchKind.Contains, new string('x', ValueMatcher.MaxPatternLength + 1), false, out _));
    }
}
