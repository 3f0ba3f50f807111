using System.Runtime.CompilerServices;

namespace Palisade.Detection.Detectors.Xss;

/// <summary>
/// Looks inside base64 <c>data:</c> URLs: a document hidden under a harmless-looking media type
/// (<c>data:application/x-x509-user-cert;base64,PHNjcmlwdD4...</c>) is still a document once a browser renders it.
/// The payload is decoded (bounded) and inspected as markup. Images, audio, video and fonts are left alone:
/// they are the common, inert use of base64 data URLs.
/// </summary>
internal static class DataUrlInspector
{
    private const int MaxDecodedChars = 65536;

    /// <summary>True when the text after <c>data:</c> is base64 whose decoded bytes are markup that runs script.</summary>
    public static bool HoldsScriptInBase64(ReadOnlySpan<char> afterColon)
    {
        var comma = afterColon.IndexOf(',');
        if (comma < 0)
        {
            return false;
        }

        var header = afterColon[..comma];
        if (!header.Contains("base64", StringComparison.OrdinalIgnoreCase) || IsInertMedia(header.TrimStart()))
        {
            return false;
        }

        // A data: URL inside a data: URL is decoded again; nesting deep enough to run short of stack is itself
        // the sign of an attack.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            return true;
        }

        var payload = afterColon[(comma + 1)..];
        using var scratch = new TextScratch(stackalloc char[256]);
        var buffer = scratch.Get(Math.Min(MaxDecodedChars, (payload.Length * 3 / 4) + 3));
        var decoded = buffer[..DecodeBase64(payload, buffer)];
        return decoded.Contains('<') && MarkupInspector.TryFind(decoded, out _);
    }

    private static bool IsInertMedia(ReadOnlySpan<char> mediaType) =>
        (mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) && !mediaType.Contains("svg", StringComparison.OrdinalIgnoreCase))
        || mediaType.StartsWith("audio/", StringComparison.OrdinalIgnoreCase)
        || mediaType.StartsWith("video/", StringComparison.OrdinalIgnoreCase)
        || mediaType.StartsWith("font/", StringComparison.OrdinalIgnoreCase);

    // Lenient base64: skips whitespace and stray characters, stops at '=' or when the output is full; each byte
    // becomes the Latin-1 character of the same value (enough for the ASCII of markup).
    private static int DecodeBase64(ReadOnlySpan<char> text, Span<char> output)
    {
        var written = 0;
        var bits = 0;
        var bitCount = 0;
        foreach (var c in text)
        {
            if (c == '=' || written == output.Length)
            {
                break;
            }

            var value = c switch
            {
                >= 'A' and <= 'Z' => c - 'A',
                >= 'a' and <= 'z' => c - 'a' + 26,
                >= '0' and <= '9' => c - '0' + 52,
                '+' or '-' or ' ' => 62,
                '/' or '_' => 63,
                _ => -1,
            };
            if (value < 0)
            {
                continue;
            }

            bits = ((bits << 6) | value) & 0xFFFFFF;
            bitCount += 6;
            if (bitCount >= 8)
            {
                bitCount -= 8;
                output[written++] = (char)((bits >> bitCount) & 0xFF);
            }
        }

        return written;
    }
}
