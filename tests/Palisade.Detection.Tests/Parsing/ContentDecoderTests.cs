using System.IO.Compression;
using System.Text;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Parsing;

/// <summary>Request bodies' Content-Encoding is undone in memory, layer by layer, under a size and a ratio cap.</summary>
public class ContentDecoderTests
{
    private static readonly byte[] Json = Encoding.UTF8.GetBytes("{\"q\":\"1' or '1'='1\",\"note\":\"" + new string('x', 200) + "\"}");

    public static byte[] Compress(byte[] data, string coding)
    {
        using var output = new MemoryStream();
        using (Stream compressor = coding switch
        {
            "gzip" => new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true),
            "zlib" => new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true),
            "raw-deflate" => new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true),
            "br" => new BrotliStream(output, CompressionLevel.Optimal, leaveOpen: true),
            _ => throw new ArgumentOutOfRangeException(nameof(coding)),
        })
        {
            compressor.Write(data);
        }

        return output.ToArray();
    }

    [Theory]
    [InlineData("gzip", "gzip", "gzip")]
    [InlineData("x-gzip", "gzip", "x-gzip")]
    [InlineData("GZIP", "gzip", "gzip")]
    [InlineData("deflate", "zlib", "deflate")]
    [InlineData("deflate", "raw-deflate", "deflate")]
    [InlineData("br", "br", "br")]
    public void Decode_SingleCoding_RestoresTheBody(string header, string compressor, string coding)
    {
        var status = ContentDecoder.Decode(Compress(Json, compressor), header, 1 << 20, 100, out var decoded, out var undone);
        Assert.Equal(ContentCodingStatus.Decoded, status);
        Assert.Equal(Json, decoded.ToArray());
        Assert.Equal(coding, undone);
    }

    [Fact]
    public void Decode_TwoCodings_UndoneLastAppliedFirst()
    {
        var body = Compress(Compress(Json, "gzip"), "br");
        var status = ContentDecoder.Decode(body, "gzip, br", 1 << 20, 100, out var decoded, out var undone);
        Assert.Equal(ContentCodingStatus.Decoded, status);
        Assert.Equal(Json, decoded.ToArray());
        Assert.Equal("br|gzip", undone);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("identity")]
    public void Decode_NoCoding_None(string? header) =>
        Assert.Equal(ContentCodingStatus.None, ContentDecoder.Decode(Json, header, 1 << 20, 100, out _, out _));

    [Theory]
    [InlineData("compress")]
    [InlineData("zstd")]
    [InlineData("gzip, gzip, gzip, gzip")]
    public void Decode_UnknownCodingOrTooManyLayers_Undecodable(string header) =>
        Assert.Equal(ContentCodingStatus.Undecodable, ContentDecoder.Decode(Json, header, 1 << 20, 100, out _, out _));

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public void Decode_BytesNotInTheCoding_Undecodable(string header)
    {
        // A client that labels a plain body as compressed: the application that ignores the header reads it as is.
        var status = ContentDecoder.Decode(Json, header, 1 << 20, 100, out var decoded, out _);
        Assert.Equal(ContentCodingStatus.Undecodable, status);
        Assert.True(decoded.IsEmpty);
    }

    [Fact]
    public void Decode_Bomb_StopsAtTheRatioCap()
    {
        var bomb = Compress(new byte[16 * 1024 * 1024], "gzip");
        var status = ContentDecoder.Decode(bomb, "gzip", 64 * 1024 * 1024, 100, out var decoded, out _);
        Assert.Equal(ContentCodingStatus.TooLarge, status);
        Assert.Equal(bomb.Length * 100, decoded.Length);
    }

    [Fact]
    public void Decode_LargerThanTheSizeCap_StopsAtTheSizeCap()
    {
        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 20_000).Select(i => $"{i * 7919 % 100_003},")));
        var status = ContentDecoder.Decode(Compress(text, "gzip"), "gzip", 4096, 1000, out var decoded, out _);
        Assert.Equal(ContentCodingStatus.TooLarge, status);
        Assert.Equal(4096, decoded.Length);
        Assert.Equal(text.AsSpan(0, 4096).ToArray(), decoded.ToArray());
    }

    [Fact]
    public void Decode_TruncatedStream_YieldsTheDecodablePrefix()
    {
        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 5_000).Select(i => $"item {i * 7919 % 100_003}; ")));
        var compressed = Compress(text, "gzip");
        var status = ContentDecoder.Decode(compressed.AsMemory(0, compressed.Length / 2), "gzip", 1 << 20, 100, out var decoded, out _);
        Assert.True(status is ContentCodingStatus.Partial or ContentCodingStatus.Decoded, status.ToString());
        Assert.True(decoded.Length > 0);
        Assert.Equal(text.AsSpan(0, decoded.Length).ToArray(), decoded.ToArray());
    }

    [Fact]
    public void Decode_RandomBytes_NeverThrows()
    {
        var random = new Random(7);
        foreach (var coding in new[] { "gzip", "deflate", "br", "gzip, deflate" })
        {
            for (var i = 0; i < 200; i++)
            {
                var bytes = new byte[random.Next(0, 512)];
                random.NextBytes(bytes);
                if (i % 3 == 0 && bytes.Length > 2)
                {
                    // Valid magic numbers in front of garbage.
                    bytes[0] = 0x1f;
                    bytes[1] = 0x8b;
                }

                var status = ContentDecoder.Decode(bytes, coding, 1 << 20, 100, out var decoded, out _);
                Assert.True(decoded.Length <= Math.Max(bytes.Length, 1) * 100, $"{coding} {status}");
            }
        }
    }
}
