using System.Text;
using Palisade.Detection.Parsing;
using Palisade.Detection.Points;

namespace Palisade.Detection.Tests.Parsing;

public class JsonBodyParserTests
{
    [Fact]
    public void Parse_NestedDocument_NamesEveryStringLeaf()
    {
        var visitor = new RecordingVisitor();
        var ok = JsonBodyParser.Parse(Encoding.UTF8.GetBytes("""{"user":{"name":"a\u0027b","emails":["x","y"],"age":3},"tags":[["t"]],"n":null}"""), false, 64, Point.BodyJson, visitor);
        Assert.True(ok);
        Assert.Equal(["body.json.user.name=a'b", "body.json.user.emails.0=x", "body.json.user.emails.1=y", "body.json.tags.0.0=t"], visitor.Visits);
    }

    [Fact]
    public void Parse_OddPropertyNameAndDuplicates_VisitsNameAndAllValues()
    {
        var visitor = new RecordingVisitor();
        JsonBodyParser.Parse("""{"$where":"1","a":"x","a":"y"}"""u8, false, 64, Point.BodyJson, visitor);
        Assert.Equal(["body.json.$where#name=$where", "body.json.$where=1", "body.json.a=x", "body.json.a=y"], visitor.Visits);

        visitor = new RecordingVisitor();
        JsonBodyParser.Parse("""{"a b":"1"}"""u8, false, 64, Point.BodyJson, visitor);
        Assert.Equal(["body.json[\"a b\"]#name=a b", "body.json[\"a b\"]=1"], visitor.Visits);
    }

    [Fact]
    public void Parse_TopLevelArrayOfStrings_IndexesFromRoot()
    {
        var visitor = new RecordingVisitor();
        JsonBodyParser.Parse("""["a","b"]"""u8, false, 64, Point.BodyJson, visitor);
        Assert.Equal(["body.json.0=a", "body.json.1=b"], visitor.Visits);
    }

    [Fact]
    public void Parse_BrokenJson_ReturnsFalseAfterVisitingWhatItRead()
    {
        var visitor = new RecordingVisitor();
        var ok = JsonBodyParser.Parse("""{"a":"x", "b": tru"""u8, false, 64, Point.BodyJson, visitor);
        Assert.False(ok);
        Assert.Equal(["body.json.a=x"], visitor.Visits);
    }

    [Fact]
    public void Parse_TruncatedPrefix_StopsWithoutError()
    {
        var visitor = new RecordingVisitor();
        var ok = JsonBodyParser.Parse("""{"a":"x", "b": "unfinish"""u8, true, 64, Point.BodyJson, visitor);
        Assert.True(ok);
        Assert.Equal(["body.json.a=x"], visitor.Visits);
    }

    [Fact]
    public void Parse_TooDeep_ReturnsFalse()
    {
        var deep = new string('[', 100) + new string(']', 100);
        Assert.False(JsonBodyParser.Parse(Encoding.UTF8.GetBytes(deep), false, 64, Point.BodyJson, new RecordingVisitor()));
    }
}
