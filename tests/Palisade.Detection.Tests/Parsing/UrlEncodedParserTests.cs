using Palisade.Detection.Parsing;
using Palisade.Detection.Points;

namespace Palisade.Detection.Tests.Parsing;

public class UrlEncodedParserTests
{
    [Fact]
    public void Parse_DuplicateKeys_VisitsEveryValueThenTheCommaJoinedForm()
    {
        var visitor = new RecordingVisitor();
        UrlEncodedParser.Parse("a=1&b=2&a=3", Point.Query, ValueSource.Query, visitor);
        Assert.Equal(["query.a=1", "query.b=2", "query.a=3", "query.a|joined=1,3"], visitor.Visits);
    }

    [Fact]
    public void Parse_SplitPayload_IsWholeInTheJoinedForm()
    {
        var visitor = new RecordingVisitor();
        UrlEncodedParser.Parse("id=1/*&x=y&id=*/union/*&id=*/select+1", Point.Query, ValueSource.Query, visitor);
        Assert.Equal("query.id|joined=1/*,*/union/*,*/select 1", visitor.Visits[^1]);
    }

    [Fact]
    public void Parse_ARepeatAfterManyNames_IsStillJoined()
    {
        var visitor = new RecordingVisitor();
        var names = string.Join('&', Enumerable.Range(0, 100).Select(i => $"n{i}=v"));
        UrlEncodedParser.Parse(names + "&n7=w", Point.Query, ValueSource.Query, visitor);
        Assert.Equal("query.n7|joined=v,w", visitor.Visits[^1]);
        Assert.Single(visitor.Visits, v => v.Contains("|joined", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_DistinctKeys_VisitNoJoinedForm()
    {
        var visitor = new RecordingVisitor();
        UrlEncodedParser.Parse(string.Join('&', Enumerable.Range(0, 100).Select(i => $"n{i}=v")), Point.Query, ValueSource.Query, visitor);
        Assert.DoesNotContain(visitor.Visits, v => v.Contains("|joined", StringComparison.Ordinal));
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
