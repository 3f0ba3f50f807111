using System.IO.Compression;

namespace Palisade.Detection.Parsing;

/// <summary>
/// Undoes a request body's <c>Content-Encoding</c> (<c>gzip</c>, <c>x-gzip</c>, <c>deflate</c> in its zlib and raw
/// forms, <c>br</c>), in memory, layer by layer from the last one applied, under two caps: the decoded size, and the
/// ratio of decoded to encoded bytes (a decompression bomb is thousands to one; real JSON and text rarely pass 20).
/// </summary>
public static class ContentDecoder
{
    private const int MaxLayers = 3;

    /// <summary>Decodes <paramref name="body"/> as <paramref name="contentEncoding"/> says.</summary>
    /// <param name="body">The body as received (or its inspected prefix).</param>
    /// <param name="contentEncoding">The header's value: codings in the order they were applied.</param>
    /// <param name="maxBytes">The most decoded bytes to produce.</param>
    /// <param name="maxRatio">The most decoded bytes per encoded byte (applied to the whole body, not per layer).</param>
    /// <param name="decoded">The decoded bytes (complete, or up to where decoding stopped); empty for <see cref="ContentCodingStatus.None"/> and <see cref="ContentCodingStatus.Undecodable"/>.</param>
    /// <param name="coding">The codings undone, as point text (<c>gzip</c>, <c>br|gzip</c>).</param>
    public static ContentCodingStatus Decode(ReadOnlyMemory<byte> body, string? contentEncoding, long maxBytes, int maxRatio, out ReadOnlyMemory<byte> decoded, out string coding)
    {
        decoded = ReadOnlyMemory<byte>.Empty;
        coding = "";
        var codings = Codings(contentEncoding);
        if (codings.Count == 0)
        {
            return ContentCodingStatus.None;
        }

        if (codings.Count > MaxLayers || codings.Exists(c => c is not ("gzip" or "x-gzip" or "deflate" or "br")))
        {
            return ContentCodingStatus.Undecodable;
        }

        var cap = (int)Math.Min(Math.Min(maxBytes, (long)maxRatio * Math.Max(body.Length, 1)), Array.MaxLength - 1);
        var status = ContentCodingStatus.Decoded;
        var current = body;
        for (var i = codings.Count - 1; i >= 0; i--)
        {
            var layer = DecodeLayer(current, codings[i], cap, out var output);
            if (layer == ContentCodingStatus.Undecodable)
            {
                return ContentCodingStatus.Undecodable;
            }

            current = output;
            coding = coding.Length == 0 ? codings[i] : coding + "|" + codings[i];
            if (layer != ContentCodingStatus.Decoded)
            {
                // Inner layers of a cut or capped stream are decoded as far as they go, but the status stays.
                status = status == ContentCodingStatus.TooLarge ? status : layer;
            }
        }

        decoded = current;
        return status;
    }

    private static List<string> Codings(string? header)
    {
        var codings = new List<string>();
        if (string.IsNullOrWhiteSpace(header))
        {
            return codings;
        }

        foreach (var part in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var name = part.ToLowerInvariant();
            if (name != "identity")
            {
                codings.Add(name);
            }
        }

        return codings;
    }

    private static ContentCodingStatus DecodeLayer(ReadOnlyMemory<byte> input, string coding, int cap, out ReadOnlyMemory<byte> output)
    {
        if (coding == "deflate")
        {
            // RFC 9110's deflate is zlib-wrapped; some clients send the raw stream. A zlib header is two bytes
            // whose big-endian value is a multiple of 31 with compression method 8.
            var span = input.Span;
            var zlib = span.Length >= 2 && (span[0] & 0x0F) == 8 && ((span[0] << 8) | span[1]) % 31 == 0;
            return Inflate(input, cap, zlib ? s => new ZLibStream(s, CompressionMode.Decompress) : s => new DeflateStream(s, CompressionMode.Decompress), out output);
        }

        return Inflate(
            input,
            cap,
            coding == "br" ? s => new BrotliStream(s, CompressionMode.Decompress) : s => new GZipStream(s, CompressionMode.Decompress),
            out output);
    }

    private static ContentCodingStatus Inflate(ReadOnlyMemory<byte> input, int cap, Func<Stream, Stream> open, out ReadOnlyMemory<byte> output)
    {
        using var source = new ReadOnlyMemoryStream(input);
        using var decoder = open(source);
        var buffer = new byte[Math.Min(cap + 1, Math.Max(4096, input.Length * 4))];
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > cap)
                    {
                        break;
                    }

                    Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, cap + 1L));
                }

                var read = decoder.Read(buffer, length, buffer.Length - length);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        // ZLibException (an IOException) is what zlib's "unexpected error code" on crafted deflate data becomes.
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or IOException)
        {
            // gzip and deflate report bad data as InvalidDataException, Brotli as InvalidOperationException.
            output = buffer.AsMemory(0, Math.Min(length, cap));
            return length == 0 ? ContentCodingStatus.Undecodable : ContentCodingStatus.Partial;
        }

        output = buffer.AsMemory(0, Math.Min(length, cap));
        if (length > cap)
        {
            return ContentCodingStatus.TooLarge;
        }

        // A stream that ends before its trailer (a truncated body) reads as complete up to there with some
        // decoders; an empty result from non-empty input is not the coding at all.
        return length == 0 && !input.IsEmpty ? ContentCodingStatus.Undecodable : ContentCodingStatus.Decoded;
    }
}
