using System.Buffers;
using System.Text.Unicode;

namespace Palisade.Detection.Parsing;

/// <summary>
/// Decodes a value that plausibly is base64 (standard or URL-safe, padded or not) into text. It is tried only
/// when the whole value fits the alphabet, is at least <see cref="MinLength"/> characters long, has a length
/// and padding base64 can have, and mixes character classes as encoded data does; the decoded bytes must be
/// valid UTF-8 text without control characters. Words, numbers, hex ids and UUIDs never qualify.
/// </summary>
public static class Base64TextDecoder
{
    /// <summary>The shortest value worth decoding.</summary>
    public const int MinLength = 16;

    private const int MaxLength = 1024 * 1024;

    private static readonly SearchValues<char> NotBase64 =
        SearchValues.Create("!\"#$%&'()*,.:;<>?@[\\]^`{|}~ \t\r\n");

    /// <summary>Decodes the value, or returns null when it is not base64 of text.</summary>
    public static string? Decode(ReadOnlySpan<char> text)
    {
        if (text.Length < MinLength || text.Length > MaxLength || text.IndexOfAny(NotBase64) >= 0 || !char.IsAsciiLetterOrDigit(text[0]))
        {
            return null;
        }

        var padding = text.Length - text.TrimEnd('=').Length;
        var body = text[..^padding];
        if (padding > 2 || body.Contains('=') || (padding > 0 && text.Length % 4 != 0) || body.Length % 4 == 1 || !HasMixedClasses(body))
        {
            return null;
        }

        var urlSafe = body.IndexOfAny('-', '_') >= 0;
        if (urlSafe && body.IndexOfAny('+', '/') >= 0)
        {
            return null;
        }

        var maxBytes = (body.Length * 3 / 4) + 3;
        var rented = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            var count = DecodeInto(body, rented, urlSafe);
            if (count <= 0)
            {
                return null;
            }

            var bytes = rented.AsSpan(0, count);
            return IsText(bytes) ? PercentDecoder.Utf8ToText(bytes) : null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int DecodeInto(ReadOnlySpan<char> body, byte[] destination, bool urlSafe)
    {
        var count = 0;
        var accumulator = 0;
        var bits = 0;
        foreach (var c in body)
        {
            var value = SextetValue(c, urlSafe);
            if (value < 0)
            {
                return -1;
            }

            accumulator = (accumulator << 6) | value;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                destination[count++] = (byte)(accumulator >> bits);
                accumulator &= (1 << bits) - 1;
            }
        }

        return count;
    }

    private static int SextetValue(char c, bool urlSafe) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '+' when !urlSafe => 62,
        '/' when !urlSafe => 63,
        '-' when urlSafe => 62,
        '_' when urlSafe => 63,
        _ => -1,
    };

    // Encoded data mixes upper case, lower case and digits (or symbols); a long word or number does not.
    private static bool HasMixedClasses(ReadOnlySpan<char> body)
    {
        var upper = body.IndexOfAnyInRange('A', 'Z') >= 0;
        var lower = body.IndexOfAnyInRange('a', 'z') >= 0;
        var other = body.IndexOfAnyInRange('0', '9') >= 0 || body.IndexOfAny("+/-_") >= 0;
        return upper && lower && other;
    }

    // Text: valid UTF-8 with no control characters other than tab and line breaks.
    private static bool IsText(ReadOnlySpan<byte> bytes)
    {
        if (!Utf8.IsValid(bytes))
        {
            return false;
        }

        foreach (var b in bytes)
        {
            if ((b < 0x20 && b is not (byte)'\t' and not (byte)'\n' and not (byte)'\r') || b == 0x7F)
            {
                return false;
            }
        }

        return true;
    }
}
