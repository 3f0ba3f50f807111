using Palisade.Detection.Detectors.Xss;

namespace Palisade.Detection.Tests.Detectors.Xss;

public class HtmlEntityDecoderTests
{
    [Theory]
    [InlineData("jav&#x61;script:", "javascript:")]
    [InlineData("&#106;avascript:", "javascript:")]
    [InlineData("&#0000106avascript:", "javascript:")]
    [InlineData("&#x6A&#x61", "ja")]
    [InlineData("jav&Tab;ascript&colon;", "jav\tascript:")]
    [InlineData("a&NewLine;b", "a\nb")]
    [InlineData("alert&lpar;1&rpar;", "alert(1)")]
    [InlineData("&lt;b&gt;", "<b>")]
    [InlineData("&ltb", "&ltb")]
    [InlineData("&lt b", "< b")]
    [InlineData("&amp;&AMP;&quot;&apos;", "&&\"'")]
    [InlineData("&#0;", "\uFFFD")]
    [InlineData("&#x110000;", "\uFFFD")]
    [InlineData("&#128;", "\u20AC")]
    [InlineData("&#x1F600;", "\U0001F600")]
    [InlineData("&unknown; &colon &#; &#x;", "&unknown; &colon &#; &#x;")]
    [InlineData("?a=1&lt=2", "?a=1&lt=2")]
    public void Decode_AttributeValue_DecodesLikeABrowser(string text, string expected)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<char> buffer = stackalloc char[text.Length * 2];
        Assert.Equal(expected, buffer[..HtmlEntityDecoder.Decode(text, buffer)].ToString());
    }

    [Fact]
    public void Decode_DestinationTooSmall_StopsWithoutFailing()
    {
        Span<char> buffer = stackalloc char[3];
        Assert.Equal(3, HtmlEntityDecoder.Decode("&#106;&#97;&#118;&#97;", buffer));
        Assert.Equal("jav", buffer.ToString());
    }

    [Fact]
    public void Decode_HugeNumericReference_Saturates()
    {
        var text = "&#" + new string('9', 10_000) + ";";
        Span<char> buffer = stackalloc char[4];
        Assert.Equal("\uFFFD", buffer[..HtmlEntityDecoder.Decode(text, buffer)].ToString());
    }
}
