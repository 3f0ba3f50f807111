using System.Text;

namespace Palisade.Detection.Parsing;

/// <summary>
/// A body that opens with a byte order mark is read in the encoding the mark names, as JSON and XML parsers do
/// (RFC 8259 history, XML 1.0 appendix F): UTF-16 and UTF-32 are transcoded to UTF-8 for inspection, a UTF-8 mark
/// is dropped. Without a mark the bytes are taken as they are.
/// </summary>
public static class UnicodeBody
{
    private static readonly Encoding Utf32BigEndian = new UTF32Encoding(bigEndian: true, byteOrderMark: false);

    /// <summary>The body as UTF-8 when it starts with a byte order mark; false (and the body as is) otherwise.</summary>
    public static bool TryTranscode(ReadOnlySpan<byte> body, out ReadOnlyMemory<byte> utf8)
    {
        utf8 = default;
        Encoding? encoding;
        int mark;
        if (body.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            (encoding, mark) = (Encoding.UTF32, 4);
        }
        else if (body.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            (encoding, mark) = (Utf32BigEndian, 4);
        }
        else if (body.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            (encoding, mark) = (Encoding.Unicode, 2);
        }
        else if (body.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            (encoding, mark) = (Encoding.BigEndianUnicode, 2);
        }
        else if (body.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            (encoding, mark) = (null, 3);
        }
        else
        {
            return false;
        }

        utf8 = encoding is null ? body[mark..].ToArray() : Encoding.UTF8.GetBytes(encoding.GetString(body[mark..]));
        return true;
    }
}
