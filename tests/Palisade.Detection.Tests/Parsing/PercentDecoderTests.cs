using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Parsing;

public class PercentDecoderTests
{
    [Theory]
    [InlineData("a%20b", false, "a b")]
    [InlineData("a+b", true, "a b")]
    [InlineData("a+b%2B", false, "a+b+")]
    [InlineData("%C3%A9t%C3%A9", false, "été")]
    [InlineData("%2527", false, "%27")]
    [InlineData("%zz%4", false, null)]
    [InlineData("100%", false, null)]
    [InlineData("plain", true, null)]
    public void Decode_Input_GivesExpected(string input, bool plusAsSpace, string? expected) =>
        Assert.Equal(expected, PercentDecoder.Decode(input, plusAsSpace));

    [Fact]
    public void Decode_InvalidUtf8_KeepsEveryByteAsLatin1()
    {
        // %bf%27 is the classic GBK quote-eating trick: the quote must survive decoding.
        Assert.Equal("\u00bf'", PercentDecoder.Decode("%bf%27", plusAsSpace: false));
        Assert.Equal("\u00c0'", PercentDecoder.Decode("%c0%27", plusAsSpace: false));
    }

    [Theory]
    [InlineData("..%c0%af..%c0%afetc", "../../etc")]
    [InlineData("%e0%80%af", "/")]
    [InlineData("%c1%9c", "\\")]
    [InlineData("%u003cscript%u003e", "<script>")]
    [InlineData("%U0027", "'")]
    [InlineData("%ud800x", "?x")]
    [InlineData("%u00", null)]
    public void Decode_EvasionEncodings_GivesWhatLenientServersRead(string input, string? expected) =>
        Assert.Equal(expected, PercentDecoder.Decode(input, plusAsSpace: false));

    [Fact]
    public void Decode_MixedMalformedAndValid_DecodesOnlyValidEscapes() =>
        Assert.Equal("%zz'%", PercentDecoder.Decode("%zz%27%", plusAsSpace: false));

    [Fact]
    public void Decode_LongInput_UsesPooledBuffer()
    {
        var input = string.Concat(Enumerable.Repeat("%41", 2000));
        Assert.Equal(new string('A', 2000), PercentDecoder.Decode(input, plusAsSpace: false));
    }
}
