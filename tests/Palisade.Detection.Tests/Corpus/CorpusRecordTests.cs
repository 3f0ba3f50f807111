using System.Text;
using Palisade.Detection.Corpus;

namespace Palisade.Detection.Tests.Corpus;

public class CorpusRecordTests
{
    [Fact]
    public void Parse_Line_BuildsSnapshotWithRawTargetHeadersAndBody()
    {
        var record = CorpusRecord.Parse("""{"id":"x-1","source":"s","label":"attack","category":"sqli","location":"query:id","request":{"method":"POST","path":"/a%2Fb","query":"id=1%27","headers":{"Host":"h","Content-Type":"application/json"},"body":"{\"k\":\"é\"}"},"payload":"1'"}""");
        Assert.True(record.IsAttack);
        Assert.Equal("query", record.LocationKind);
        var snapshot = record.ToSnapshot();
        Assert.Equal("/a%2Fb?id=1%27", snapshot.RawTarget);
        Assert.Equal("application/json", snapshot.GetHeader("content-type"));
        Assert.Equal("{\"k\":\"é\"}", Encoding.UTF8.GetString(snapshot.Body.Span));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"id":"x"}""")]
    public void Parse_Malformed_ThrowsFormatException(string line) =>
        Assert.Throws<FormatException>(() => CorpusRecord.Parse(line));
}
