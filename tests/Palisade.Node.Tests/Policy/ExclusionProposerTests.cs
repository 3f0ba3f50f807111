using Palisade.Detection.Rules;
using Palisade.Node.Policy;

namespace Palisade.Node.Tests.Policy;

/// <summary>Proposals are as narrow as the request they come from, or refused: never wider.</summary>
public sealed class ExclusionProposerTests
{
    [Fact]
    public void Propose_Findings_NarrowestPerPointAndDetector()
    {
        var proposals = ExclusionProposer.Propose("Req-42", "POST", "/blog/post/", [
            ("xss", "body.json.comment", "xss.html"),
            ("xss", "body.json.comment", "xss.html"),
            ("sqli", "query.q|percent", "sqli.grammar"),
            ("overlimit", "request", "engine.budget"),
            ("virtual_patch", "query.debug", "rule.no-debug"),
        ]);

        Assert.Equal(["fp-req42-1", "fp-req42-2"], proposals.Select(p => p.Name));
        Assert.All(proposals, p => Assert.Equal("/blog/post/", p.Path));
        Assert.Equal(["body.json.comment", "query.q|percent"], proposals.Select(p => p.Point));
    }

    [Theory]
    [InlineData("/files/a*b", "/files/axxb")]
    [InlineData("/files/*", "/files/other")]
    [InlineData("/files/a b", "/files/a_b")]
    public void Propose_PathAPatternCannotHoldAsIs_IsEscapedAndCoversThatPathOnly(string rawPath, string otherPath)
    {
        var proposal = Assert.Single(ExclusionProposer.Propose("e1", "POST", rawPath, [("xss", "body.json.comment", "xss.html")]));

        Assert.NotNull(proposal.Path);
        var exclusion = Assert.Single(PolicyConfigurationTests.Load("exclusions:\n" + proposal.ToYaml()).Exclusions);
        Assert.Equal(PathMatchKind.Exact, exclusion.Scope.Path!.Kind);
        Assert.True(exclusion.Scope.Matches("POST", "example.com", RulePath.Normalize(rawPath)));
        Assert.False(exclusion.Scope.Matches("POST", "example.com", RulePath.Normalize(otherPath)));
    }

    [Fact]
    public void Propose_PathStillEncodedAfterDecoding_IsRefused()
    {
        // Five layers of percent-encoding: the normalised path keeps a '%41' that an exact pattern would decode once more.
        var refused = Assert.Throws<ExclusionRefusedException>(() =>
            ExclusionProposer.Propose("e1", "POST", "/a%2525252541", [("xss", "body.json.comment", "xss.html")]));

        Assert.Contains("path", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("body.json.a*b")]
    [InlineData("body.json.**")]
    [InlineData("query.what?")]
    [InlineData("body.json[\"a?b\"]")]
    public void Propose_PointWithAGlobCharacter_IsRefused(string point)
    {
        var refused = Assert.Throws<ExclusionRefusedException>(() =>
            ExclusionProposer.Propose("e1", "POST", "/blog", [("xss", "body.json.comment", "xss.html"), ("xss", point, "xss.html")]));

        Assert.Contains(point, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/..;/static/x")]
    [InlineData("/files/a%2Fb")]
    [InlineData("//admin")]
    [InlineData("/blog/x/../post/./")]
    [InlineData("/a%3Fb")]
    [InlineData("/a%20b")]
    [InlineData("/100%25")]
    [InlineData("/%C3%BC%2A")]
    public void Propose_PathServersResolveDifferently_IsRefused(string rawPath)
    {
        var refused = Assert.Throws<ExclusionRefusedException>(() =>
            ExclusionProposer.Propose("e1", "POST", rawPath, [("xss", "body.json.comment", "xss.html")]));

        Assert.Contains("resolve it differently", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Propose_LowerCaseMethod_IsWrittenInCapitals()
    {
        var proposal = Assert.Single(ExclusionProposer.Propose("e1", "post", "/blog", [("xss", "body.json.comment", "xss.html")]));

        Assert.Equal("POST", proposal.Method);
    }

    [Theory]
    [InlineData("M-SEARCH")]
    [InlineData("")]
    public void Propose_MethodThePolicyCannotName_IsRefused(string method)
    {
        Assert.Throws<ExclusionRefusedException>(() =>
            ExclusionProposer.Propose("e1", method, "/blog", [("xss", "body.json.comment", "xss.html")]));
    }

    [Fact]
    public void Propose_UnknownDetector_IsRefusedRatherThanFailingLater()
    {
        Assert.Throws<ExclusionRefusedException>(() =>
            ExclusionProposer.Propose("e1", "POST", "/blog", [("xss", "body.json.comment", "no.such-detector")]));
    }
}
