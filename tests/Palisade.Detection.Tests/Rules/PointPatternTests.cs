using Palisade.Detection.Rules;

namespace Palisade.Detection.Tests.Rules;

public sealed class PointPatternTests
{
    [Theory]
    [InlineData("query.*", "query.id", true)]
    [InlineData("query.*", "query.id|percent", true)]
    [InlineData("query.*", "query", false)]
    [InlineData("query.*", "header.x", false)]
    [InlineData("body.json.comment", "body.json.comment", true)]
    [InlineData("body.json.comment", "body.json.comment|base64|json.cmd", true)]
    [InlineData("body.json.comment", "body.json.comment.0", true)]
    [InlineData("body.json.comment", "body.json.comments", false)]
    [InlineData("body.json.comment", "body.json", false)]
    [InlineData("body.json.*.name", "body.json.user.name", true)]
    [InlineData("body.json.*.name", "body.json.a.b.name", false)]
    [InlineData("body.json.**.name", "body.json.a.b.name", true)]
    [InlineData("header.x-*", "header.x-forwarded-host", true)]
    [InlineData("header.x-*", "header.user-agent", false)]
    [InlineData("query.id", "query.id#name", true)]
    [InlineData("query.ID", "query.id", false)]
    public void Matches_PointPaths_CoverThePointAndWhatWasDecodedFromIt(string pattern, string point, bool expected)
    {
        Assert.Equal(expected, PointPattern.TryParse(pattern, out _)!.Matches(point));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("query..id")]
    [InlineData(".query")]
    [InlineData("query.")]
    [InlineData("a.***")]
    [InlineData("query.a b")]
    public void TryParse_Malformed_IsRefusedWithAReason(string text)
    {
        Assert.Null(PointPattern.TryParse(text, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
