namespace Palisade.Node.FrontDoor;

/// <summary>
/// The charsets a body may declare: the ones the detectors read correctly (UTF-8 and the Latin-1 family, which
/// agree with ASCII on every byte an attack needs). Any other (<c>ibm037</c>, <c>utf-7</c>, <c>utf-16</c>) would
/// let a payload reach the application in bytes the inspection never decoded (CRS 920480, CVE-2022-39955), and two
/// charset parameters leave the choice to whichever parser reads first or last.
/// </summary>
internal static class Charsets
{
    private static readonly byte[][] Allowed =
    [
        "utf-8"u8.ToArray(), "utf8"u8.ToArray(), "us-ascii"u8.ToArray(), "ascii"u8.ToArray(), "iso-8859-1"u8.ToArray(), "latin1"u8.ToArray(),
        "iso-8859-15"u8.ToArray(), "windows-1252"u8.ToArray(), "cp1252"u8.ToArray(),
    ];

    /// <summary>Checks the charset parameters of a Content-Type value.</summary>
    public static ProtocolViolation? Check(ReadOnlySpan<byte> contentType)
    {
        var found = 0;
        foreach (var range in contentType.Split((byte)';'))
        {
            var parameter = HttpSyntax.TrimWhitespace(contentType[range]);
            var eq = parameter.IndexOf((byte)'=');
            if (eq < 0 || !HttpSyntax.EqualsLower(HttpSyntax.TrimWhitespace(parameter[..eq]), "charset"u8))
            {
                continue;
            }

            if (++found > 1)
            {
                return ProtocolViolation.DuplicateCharset;
            }

            var value = HttpSyntax.TrimWhitespace(parameter[(eq + 1)..]);
            if (value.Length >= 2 && value[0] == (byte)'"' && value[^1] == (byte)'"')
            {
                value = value[1..^1];
            }

            if (!IsAllowed(value))
            {
                return ProtocolViolation.UnsupportedCharset;
            }
        }

        return null;
    }

    private static bool IsAllowed(ReadOnlySpan<byte> charset)
    {
        foreach (var allowed in Allowed)
        {
            if (HttpSyntax.EqualsLower(charset, allowed))
            {
                return true;
            }
        }

        return false;
    }
}
