using System.Text;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Parsing;

public class XmlBodyParserTests
{
    [Fact]
    public void Parse_Document_VisitsTextAttributesCdataCommentsWithEntitiesDecoded()
    {
        var xml = "<?xml version=\"1.0\"?><order id=\"7\"><note>a &amp; b &#39;c&#39;</note><x><![CDATA[<raw>]]></x><!-- hi --><item sku=\"&lt;s&gt;\"/></order>";
        var visitor = new RecordingVisitor();
        Assert.True(XmlBodyParser.Parse(Encoding.UTF8.GetBytes(xml), 64, visitor));
        Assert.Equal(
            ["body.xml.order.@id=7", "body.xml.order.note=a & b 'c'", "body.xml.order.x=<raw>", "body.xml.order.!comment= hi ", "body.xml.order.item.@sku=<s>"],
            visitor.Visits);
    }

    [Fact]
    public void Parse_ExternalEntity_NeverResolved()
    {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>";
        var visitor = new RecordingVisitor();
        XmlBodyParser.Parse(Encoding.UTF8.GetBytes(xml), 64, visitor);
        Assert.DoesNotContain(visitor.Visits, v => v.Contains("root:", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_Malformed_ReturnsFalseAfterVisitingWhatItRead()
    {
        var visitor = new RecordingVisitor();
        Assert.False(XmlBodyParser.Parse("<a><b>text</b><c"u8, 64, visitor));
        Assert.Equal(["body.xml.a.b=text"], visitor.Visits);
    }

    [Fact]
    public void Parse_TooDeep_ReturnsFalse()
    {
        var xml = string.Concat(Enumerable.Repeat("<a>", 100)) + string.Concat(Enumerable.Repeat("</a>", 100));
        Assert.False(XmlBodyParser.Parse(Encoding.UTF8.GetBytes(xml), 64, new RecordingVisitor()));
    }
}
