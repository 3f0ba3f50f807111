using System.Text;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Parsing;

public class MultipartBodyParserTests
{
    [Fact]
    public void Parse_FieldsAndFile_VisitsValuesAndFileName()
    {
        var body = "--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhello\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"a;b.txt\"\r\nContent-Type: text/plain\r\n\r\nfile text\r\n"
            + "--XyZ--\r\n";
        var visitor = new RecordingVisitor();
        Assert.True(MultipartBodyParser.Parse(Encoding.UTF8.GetBytes(body), "XyZ", 64, visitor));
        Assert.Equal(["body.multipart.title=hello", "body.multipart.upload.filename=a;b.txt", "body.multipart.upload=file text"], visitor.Visits);
    }

    [Fact]
    public void Parse_LfLineEndsAndNoClosingDelimiter_StillVisits()
    {
        var body = "--b\nContent-Disposition: form-data; name=\"x\"\n\nvalue";
        var visitor = new RecordingVisitor();
        Assert.True(MultipartBodyParser.Parse(Encoding.UTF8.GetBytes(body), "b", 64, visitor));
        Assert.Equal(["body.multipart.x=value"], visitor.Visits);
    }

    [Fact]
    public void Parse_JsonPart_WalksJson()
    {
        var body = "--b\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"q\":\"v\"}\r\n--b--";
        var visitor = new RecordingVisitor();
        MultipartBodyParser.Parse(Encoding.UTF8.GetBytes(body), "b", 64, visitor);
        Assert.Equal(["body.multipart.meta.q=v"], visitor.Visits);
    }

    [Fact]
    public void Parse_BinaryPart_IsNotVisitedAsText()
    {
        var body = "--b\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.png\"\r\n\r\n\u0089PNG\0\0\r\n--b--";
        var visitor = new RecordingVisitor();
        MultipartBodyParser.Parse(Encoding.UTF8.GetBytes(body), "b", 64, visitor);
        Assert.Equal(["body.multipart.f.filename=x.png"], visitor.Visits);
    }

    [Fact]
    public void Parse_WrongBoundary_ReturnsFalse() =>
        Assert.False(MultipartBodyParser.Parse("--a\r\n\r\nx\r\n--a--"u8, "zz", 64, new RecordingVisitor()));

    [Theory]
    [InlineData("multipart/form-data; boundary=abc", "abc")]
    [InlineData("multipart/form-data; charset=utf-8; boundary=\"a;b c\"", "a;b c")]
    [InlineData("multipart/form-data", null)]
    public void GetBoundary_ContentType_ReadsParameter(string contentType, string? expected) =>
        Assert.Equal(expected, MultipartBodyParser.GetBoundary(contentType));
}
