using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Palisade.Detection.Parsing;

/// <summary>
/// Decodes <c>%XX</c> escapes (and <c>+</c> as space in forms) into text. The escaped bytes are read as UTF-8;
/// a byte that is not part of valid UTF-8 becomes the Latin-1 character of the same value, so nothing an
/// attacker encodes is lost (<c>%bf%27</c> still yields a quote). Overlong UTF-8 (<c>%c0%af</c>, <c>%e0%80%af</c>)
/// decodes to the ASCII character it spells, as lenient servers read it, and IIS-style <c>%uXXXX</c> escapes are
/// understood. Malformed escapes stay as they are.
/// </summary>
public static class PercentDecoder
{
    private const int StackLimit = 512;

    /// <summary>True when the text holds at least one well-formed escape (or a <c>+</c> when it counts as space).</summary>
    public static bool NeedsDecoding(ReadOnlySpan<char> text, bool plusAsSpace)
    {
        var i = plusAsSpace ? text.IndexOfAny('%', '+') : text.IndexOf('%');
        while (i >= 0)
        {
            if (text[i] == '+' || IsEscape(text, i) || IsUnicodeEscape(text, i))
            {
                return true;
            }

            var next = plusAsSpace ? text[(i + 1)..].IndexOfAny('%', '+') : text[(i + 1)..].IndexOf('%');
            i = next < 0 ? -1 : i + 1 + next;
        }

        return false;
    }

    /// <summary>Decodes the text, or returns null when there was nothing to decode.</summary>
    public static string? Decode(ReadOnlySpan<char> text, bool plusAsSpace)
    {
        if (!NeedsDecoding(text, plusAsSpace))
        {
            return null;
        }

        // Every escape shrinks, so the decoded bytes never outnumber the characters times UTF-8's width.
        var maxBytes = text.Length * 3;
        byte[]? rented = null;
        var bytes = maxBytes <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var count = 0;
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '%' && IsEscape(text, i))
                {
                    bytes[count++] = (byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2]));
                    i += 2;
                }
                else if (c == '%' && IsUnicodeEscape(text, i))
                {
                    // %uXXXX: one UTF-16 unit; a lone surrogate cannot be UTF-8 and becomes '?'.
                    var unit = (HexValue(text[i + 2]) << 12) | (HexValue(text[i + 3]) << 8) | (HexValue(text[i + 4]) << 4) | HexValue(text[i + 5]);
                    count += Rune.TryCreate((char)unit, out var rune) ? rune.EncodeToUtf8(bytes[count..]) : WriteQuestionMark(bytes[count..]);
                    i += 5;
                }
                else if (c == '+' && plusAsSpace)
                {
                    bytes[count++] = (byte)' ';
                }
                else if (c < 0x80)
                {
                    bytes[count++] = (byte)c;
                }
                else
                {
                    count += Encoding.UTF8.GetBytes(text.Slice(i, char.IsHighSurrogate(c) && i + 1 < text.Length ? 2 : 1), bytes[count..]);
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length)
                    {
                        i++;
                    }
                }
            }

            return Utf8ToText(bytes[..count]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Decodes the text, or returns it unchanged (as a new string only when needed).</summary>
    public static string DecodeOrSelf(ReadOnlySpan<char> text, bool plusAsSpace) =>
        Decode(text, plusAsSpace) ?? text.ToString();

    /// <summary>UTF-8 bytes to text; invalid bytes become the Latin-1 character of the same value.</summary>
    public static string Utf8ToText(ReadOnlySpan<byte> bytes)
    {
        if (Utf8.IsValid(bytes))
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var sb = new StringBuilder(bytes.Length);
        Span<char> chars = stackalloc char[256];
        while (!bytes.IsEmpty)
        {
            var status = Utf8.ToUtf16(bytes, chars, out var read, out var written, replaceInvalidSequences: false);
            sb.Append(chars[..written]);
            bytes = bytes[read..];
            if (status == OperationStatus.InvalidData || status == OperationStatus.NeedMoreData)
            {
                var overlong = OverlongLength(bytes, out var ascii);
                sb.Append(overlong > 0 ? ascii : (char)bytes[0]);
                bytes = bytes[Math.Max(overlong, 1)..];
            }
        }

        return sb.ToString();
    }

    // C0 AF and E0 80 AF are overlong spellings of '/': strict decoders reject them, lenient ones (the ones
    // traversal and filter-evasion tricks target) yield the ASCII character.
    private static int OverlongLength(ReadOnlySpan<byte> bytes, out char ascii)
    {
        ascii = '\0';
        if (bytes.Length >= 2 && (bytes[0] & 0xFE) == 0xC0 && (bytes[1] & 0xC0) == 0x80)
        {
            ascii = (char)(((bytes[0] & 0x01) << 6) | (bytes[1] & 0x3F));
            return 2;
        }

        if (bytes.Length >= 3 && bytes[0] == 0xE0 && (bytes[1] & 0xE0) == 0x80 && (bytes[2] & 0xC0) == 0x80)
        {
            ascii = (char)(((bytes[1] & 0x1F) << 6) | (bytes[2] & 0x3F));
            return 3;
        }

        return 0;
    }

    private static int WriteQuestionMark(Span<byte> destination)
    {
        destination[0] = (byte)'?';
        return 1;
    }

    private static bool IsUnicodeEscape(ReadOnlySpan<char> text, int i) =>
        i + 5 < text.Length && (text[i + 1] | 0x20) == 'u' && char.IsAsciiHexDigit(text[i + 2]) && char.IsAsciiHexDigit(text[i + 3])
        && char.IsAsciiHexDigit(text[i + 4]) && char.IsAsciiHexDigit(text[i + 5]);

    private static bool IsEscape(ReadOnlySpan<char> text, int i) =>
        i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
