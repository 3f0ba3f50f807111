namespace Palisade.Node.FrontDoor;

/// <summary>
/// chunk-ext = *( ";" ext-name [ "=" ext-val ] ), strictly: no whitespace, a token name, a token or quoted-string
/// value, no control characters (a lone LF or a NUL in an extension is how CVE-2025-55315 smuggled requests).
/// </summary>
internal static class ChunkExtensions
{
    public static ProtocolViolation? Check(ReadOnlySpan<byte> extensions)
    {
        var i = 0;
        while (i < extensions.Length)
        {
            if (extensions[i] != (byte)';')
            {
                return ProtocolViolation.BadChunkExtension;
            }

            i++;
            var nameStart = i;
            while (i < extensions.Length && HttpSyntax.IsTchar(extensions[i]))
            {
                i++;
            }

            if (i == nameStart)
            {
                return ProtocolViolation.BadChunkExtension;
            }

            if (i == extensions.Length || extensions[i] == (byte)';')
            {
                continue;
            }

            if (extensions[i] != (byte)'=' || ++i == extensions.Length)
            {
                return ProtocolViolation.BadChunkExtension;
            }

            if (extensions[i] == (byte)'"')
            {
                if (QuotedStringEnd(extensions, i) is not { } end)
                {
                    return ProtocolViolation.BadChunkExtension;
                }

                i = end;
                continue;
            }

            var valueStart = i;
            while (i < extensions.Length && HttpSyntax.IsTchar(extensions[i]))
            {
                i++;
            }

            if (i == valueStart)
            {
                return ProtocolViolation.BadChunkExtension;
            }
        }

        return null;
    }

    // The index after the closing quote, or null when unterminated or holding a control character.
    private static int? QuotedStringEnd(ReadOnlySpan<byte> text, int open)
    {
        for (var i = open + 1; i < text.Length; i++)
        {
            var b = text[i];
            if (b == (byte)'"')
            {
                return i + 1;
            }

            if (b == (byte)'\\')
            {
                i++;
                if (i == text.Length || HttpSyntax.IsControl(text[i]))
                {
                    return null;
                }
            }
            else if (HttpSyntax.IsControl(b))
            {
                return null;
            }
        }

        return null;
    }
}
