namespace Palisade.Detection.Detectors.Xss;

/// <summary>
/// Decodes UTF-7 (RFC 2152): <c>+ADw-script+AD4-</c> is <c>&lt;script&gt;</c>. Old Internet Explorer rendered a page
/// as UTF-7 when told so (or when it guessed so), which turned such text into live markup.
/// </summary>
internal static class Utf7Decoder
{
    /// <summary>True when the text may hold UTF-7 for <c>&lt;</c> (<c>+ADw</c>).</summary>
    public static bool MayHoldMarkup(ReadOnlySpan<char> text) => text.Contains("+AD", StringComparison.Ordinal);

    /// <summary>
    /// Decodes into <paramref name="output"/> (at least as long as the text) and returns the length written. With
    /// <paramref name="maskLiteralMarkup"/> a <c>&lt;</c> written as itself comes out as U+FFFD, so only the ones
    /// spelled in UTF-7 can open a tag in the output.
    /// </summary>
    public static int Decode(ReadOnlySpan<char> text, Span<char> output, bool maskLiteralMarkup = false)
    {
        var written = 0;
        var i = 0;
        while (i < text.Length && written < output.Length)
        {
            var c = text[i++];
            if (c != '+')
            {
                output[written++] = maskLiteralMarkup && c == '<' ? '\uFFFD' : c;
                continue;
            }

            if (i < text.Length && text[i] == '-')
            {
                output[written++] = '+';
                i++;
                continue;
            }

            // Modified base64 of UTF-16 code units, up to a non-base64 character; a '-' ending it is dropped.
            var bits = 0;
            var bitCount = 0;
            while (i < text.Length && written < output.Length)
            {
                var value = Base64Value(text[i]);
                if (value < 0)
                {
                    break;
                }

                i++;
                bits = ((bits << 6) | value) & 0x3FFFFF;
                bitCount += 6;
                if (bitCount >= 16)
                {
                    bitCount -= 16;
                    output[written++] = (char)((bits >> bitCount) & 0xFFFF);
                }
            }

            if (i < text.Length && text[i] == '-')
            {
                i++;
            }
        }

        return written;
    }

    private static int Base64Value(char c) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        >= '0' and <= '9' => c - '0' + 52,
        '+' => 62,
        '/' => 63,
        _ => -1,
    };
}
