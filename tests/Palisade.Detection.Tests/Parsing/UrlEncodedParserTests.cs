using Palisade.Detection.Parsing;
using Palisade.Detection.Points;

namespace Palisade.Detection.Tests.Parsing;

public class UrlEncodedParserTests
{
    [Fact]
    public void Parse_DuplicateKeys_VisitsEveryValue()
    {
        var visitor = new RecordingVisitor();
        UrlEncodedParser.Parse("a=1&b=2&a=3", Point.Query, ValueSource.Query, visitor);
        Assert.Equal(["query.a=1", "query.b=2", "query.a=3"], visitor.Visits);
    }

    [Fact]
    public void Parse_EscapesAndPlus_DecodesKeysAndValues()
    {
        var visitor = new RecordingVisitor();
        UrlEncodedParser.Parse("q=1%27+or+1%3D1&na%6De=x", Point.Query, ValueSource.Query, visitor);
        Assert.Equal(["query.q=1' or 1=1", "query.name=x"], visitor.Visits);
    }

    [Fact]
    public void Parse_NameWithoutValueOrOddName_VisitsTheName()
    {
        var visitor = new RecordingVisitor();
        UrlEncodedParser.Parse("<script>&x y=1&&", Point.Query, ValueSource.Query, visitor);
        Assert.Equal(["query.<script>#name=<script>", "query[\"x y\"]#name=x y", "query[\"x y\"]=1"], visitor.Visits);
        Assert.True(visitor.Origins[0].IsName);
        Assert.False(visitor.Origins[2].IsName);
    }

    [Fact]
    public void Parse_EmptyValue_VisitsEmpty()
    {
        var visitor = new RecordingVisitor();
        UrlEncodedParser.Parse("a=&b", Point.BodyForm, ValueSource.Form, visitor);
        Assert.Equal(["body.form.a=", "body.form.b#name=b"], visitor.Visits);
    }
}
