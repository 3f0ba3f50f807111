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
    public void Parse_AnEncodingSwitchSystemXmlFailsOn_ReturnsFalseInsteadOfThrowing()
    {
        // Found by the xml fuzz target: System.Xml throws ArgumentOutOfRangeException (not XmlException) from
        // ReadData when the declaration's encoding name is bytes it cannot read.
        var xml = Convert.FromHexString("3c3f786d6c2076657273696f6e3d22312e30fcfcfcfcfcfcfcfcfcfcfcfcfcfc30fcfcfcfcfcfcfcfcfcfcfcfcfcfcfcfceffcfcfce6223f3e3c21444b4354593d2231223e63f13e2d");
        Assert.False(XmlBodyParser.Parse(xml, 64, new RecordingVisitor()));
    }

    [Fact]
    public void Parse_TooDeep_ReturnsFalse()
    {
        var xml = string.Concat(Enumerable.Repeat("<a>", 100)) + string.Concat(Enumerable.Repeat("</a>", 100));
        Assert.False(XmlBodyParser.Parse(Encoding.UTF8.GetBytes(xml), 64, new RecordingVisitor()));
    }
}
