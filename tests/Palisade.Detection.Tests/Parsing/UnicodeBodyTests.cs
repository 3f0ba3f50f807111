using System.Text;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Parsing;

public sealed class UnicodeBodyTests
{
    [Theory]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    [InlineData("utf-32le")]
    [InlineData("utf-32be")]
    [InlineData("utf-8")]
    public void A_byte_order_mark_names_the_encoding_and_the_body_comes_back_as_utf8(string name)
    {
        const string Text = "{\"name\":\"Zoë\",\"q\":\"1' or '1'='1\"}";
        var (bom, encoding) = name switch
        {
            "utf-16le" => (new byte[] { 0xFF, 0xFE }, Encoding.Unicode),
            "utf-16be" => (new byte[] { 0xFE, 0xFF }, Encoding.BigEndianUnicode),
            "utf-32le" => (new byte[] { 0xFF, 0xFE, 0, 0 }, Encoding.UTF32),
            "utf-32be" => (new byte[] { 0, 0, 0xFE, 0xFF }, (Encoding)new UTF32Encoding(bigEndian: true, byteOrderMark: false)),
            _ => (new byte[] { 0xEF, 0xBB, 0xBF }, Encoding.UTF8),
        };

        Assert.True(UnicodeBody.TryTranscode([.. bom, .. encoding.GetBytes(Text)], out var utf8));
        Assert.Equal(Text, Encoding.UTF8.GetString(utf8.Span));
    }

    [Theory]
    [InlineData("{\"a\":1}")]
    [InlineData("")]
    [InlineData("\u00ff\u00fd binary")]
    public void Without_a_mark_the_body_is_left_as_it_is(string text)
    {
        Assert.False(UnicodeBody.TryTranscode(Encoding.Latin1.GetBytes(text), out _));
    }
}
