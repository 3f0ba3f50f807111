using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Parsing;

/// <summary>The value decoders: each decodes its encoding and leaves values that are not that encoding alone.</summary>
public class ValueDecoderTests
{
    [Theory]
    [InlineData(@"\u003cscript\u003e", "<script>")]
    [InlineData(@"\x3cimg\x3e", "<img>")]
    [InlineData(@"\074svg\076", "<svg>")]
    [InlineData(@"\u{27} or 1", "' or 1")]
    [InlineData(@"a\u0027\nb", "a'\nb")]
    [InlineData(@"C:\new\temp", null)]
    [InlineData(@"\d+\.\w", null)]
    [InlineData("plain text", null)]
    [InlineData(@"\u00", null)]
    public void JsEscapes_Decode(string input, string? expected) =>
        Assert.Equal(expected, JsEscapeDecoder.Decode(input));

    [Theory]
    [InlineData("PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "<script>alert(1)</script>")]
    [InlineData("PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg", "<script>alert(1)</script>")]
    [InlineData("eyJ1c2VyIjoiJyBvciAxPTEtLSJ9", "{\"user\":\"' or 1=1--\"}")]
    [InlineData("dGhlbWU9ZGFyayZsYW5nPWVu", "theme=dark&lang=en")]
    [InlineData("550e8400-e29b-41d4-a716-446655440000", null)]
    [InlineData("d41d8cd98f00b204e9800998ecf8427e", null)]
    [InlineData("internationalization", null)]
    [InlineData("short", null)]
    [InlineData("q2Xa9ZkLmP0rT7wYbN3vH8sJ", null)]
    public void Base64_DecodesOnlyText(string input, string? expected) =>
        Assert.Equal(expected, Base64TextDecoder.Decode(input));

    [Fact]
    public void Jwt_HeaderAndPayloadDecoded()
    {
        const string token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIG9yIDE9MSJ9.c2lnbmF0dXJl";
        Assert.True(JwtDecoder.TryDecode("Bearer " + token, out var header, out var payload));
        Assert.Equal("{\"alg\":\"HS256\"}", header);
        Assert.Equal("{\"sub\":\"1 or 1=1\"}", payload);
        Assert.False(JwtDecoder.TryDecode("eyJhbGciOiJIUzI1NiJ9", out _, out _));
        Assert.False(JwtDecoder.TryDecode("www.example.com.au", out _, out _));
    }
}
