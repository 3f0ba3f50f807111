using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Parsing;

public class PathParserTests
{
    [Fact]
    public void Parse_Segments_VisitsOnlyNonPlainOnesWithTheirIndex()
    {
        var visitor = new RecordingVisitor();
        PathParser.Parse("/api/v1//items/1%27%20or%201=1/x", visitor);
        Assert.Equal(["path.4=1%27%20or%201=1"], visitor.Visits);
    }
}
