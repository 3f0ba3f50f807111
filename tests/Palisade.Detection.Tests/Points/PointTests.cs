using Palisade.Detection.Points;

namespace Palisade.Detection.Tests.Points;

public class PointTests
{
    [Fact]
    public void ToString_Chain_ReadsAsPath()
    {
        Assert.Equal("body.json.user.emails.0", Point.BodyJson.Key("user").Key("emails").Index(0).ToString());
        Assert.Equal("query.data|percent", Point.Query.Key("data").Decoded("percent").ToString());
        Assert.Equal("query.id#name", Point.Query.Key("id").NameOf().ToString());
        Assert.Equal("path.2", Point.Path.Index(2).ToString());
        Assert.Equal("path.100", Point.Path.Index(100).ToString());
    }

    [Theory]
    [InlineData("a.b", "body.json[\"a.b\"]")]
    [InlineData("a \"q\"", "body.json[\"a \\\"q\\\"\"]")]
    [InlineData("", "body.json[\"\"]")]
    [InlineData("x|y", "body.json[\"x|y\"]")]
    public void ToString_KeyWithReservedCharacters_Quoted(string key, string expected) =>
        Assert.Equal(expected, Point.BodyJson.Key(key).ToString());

    [Fact]
    public void ToString_VeryLongKey_Cut() =>
        Assert.EndsWith("…\"]", Point.Query.Key(new string('k', 100) + " ").ToString(), StringComparison.Ordinal);

    [Fact]
    public void RootPoint_DeepChild_IsItsRoot() =>
        Assert.Same(Point.Cookie, Point.Cookie.Key("a").Decoded("percent").RootPoint);
}
