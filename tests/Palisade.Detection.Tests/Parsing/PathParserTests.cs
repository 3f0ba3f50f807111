using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Parsing;

public class PathParserTests
{
    [Fact]
    public void Parse_Path_VisitedWholeThenNonPlainSegmentsWithTheirIndex()
    {
        var visitor = new RecordingVisitor();
        PathParser.Parse("/api/v1//items/1%27%20or%201=1/x", visitor);
        Assert.Equal(["path=/api/v1//items/1%27%20or%201=1/x", "path.4=1%27%20or%201=1"], visitor.Visits);
    }

    [Fact]
    public void Parse_Root_NotVisited()
    {
        var visitor = new RecordingVisitor();
        PathParser.Parse("/", visitor);
        Assert.Empty(visitor.Visits);
    }
}
