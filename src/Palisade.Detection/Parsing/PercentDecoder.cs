using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Palisade.Detection.Parsing;

/// <summary>
/// Decodes <c>%XX</c> escapes (and <c>+</c> as space in forms) into text. The escaped bytes are read as UTF-8;
/// a byte that is not part of valid UTF-8 becomes the Latin-1 character of the same value, so nothing an
/// attacker encodes is lost (<c>%bf%27</c> still yields a quote). Malformed escapes stay as they are.
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
            if (text[i] == '+' || IsEscape(text, i))
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
                sb.Append((char)bytes[0]);
                bytes = bytes[1..];
            }
        }

        return sb.ToString();
    }

    private static bool IsEscape(ReadOnlySpan<char> text, int i) =>
        i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
