using System.Globalization;
using System.Text;
using Palisade.Detection.Corpus;

namespace Peers.Replay;

/// <summary>
/// Builds the bytes of one corpus request as sent on the wire: request line with the recorded target, the
/// recorded headers in order, a <c>Host</c> when the record has none, the replay id header and a
/// <c>Content-Length</c> computed from the UTF-8 body. Nothing is normalised or re-encoded.
/// </summary>
public static class RawRequest
{
    /// <summary>The header that carries the replay sequence number, found again in ModSecurity's audit log.</summary>
    public const string ReplayIdHeader = "X-Replay-Id";

    private static readonly string[] DroppedHeaders = ["content-length", "transfer-encoding", "connection", "keep-alive"];

    /// <summary>The request's bytes; <paramref name="sequence"/> goes into the replay id header.</summary>
    public static byte[] Build(CorpusRecord record, int sequence)
    {
        ArgumentNullException.ThrowIfNull(record);
        var body = Encoding.UTF8.GetBytes(record.Body);
        var head = new StringBuilder(256);
        head.Append(record.Method).Append(' ').Append(record.RawTarget).Append(" HTTP/1.1\r\n");
        var hasHost = false;
        foreach (var header in record.Headers)
        {
            if (Array.IndexOf(DroppedHeaders, header.Name.ToLowerInvariant()) >= 0)
            {
                continue;
            }

            hasHost |= string.Equals(header.Name, "host", StringComparison.OrdinalIgnoreCase);
            head.Append(header.Name).Append(": ").Append(Clean(header.Value)).Append("\r\n");
        }

        if (!hasHost)
        {
            head.Append("Host: localhost\r\n");
        }

        head.Append(ReplayIdHeader).Append(": ").Append(sequence.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        if (body.Length > 0 || HasBodySemantics(record.Method))
        {
            head.Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        head.Append("\r\n");
        var headBytes = Encoding.UTF8.GetBytes(head.ToString());
        var bytes = new byte[headBytes.Length + body.Length];
        headBytes.CopyTo(bytes, 0);
        body.CopyTo(bytes, headBytes.Length);
        return bytes;
    }

    private static bool HasBodySemantics(string method) =>
        method is "POST" or "PUT" or "PATCH";

    // A bare CR or LF inside a value would end the header and change the framing: sent as a space instead.
    private static string Clean(string value) =>
        value.AsSpan().IndexOfAny('\r', '\n') < 0 ? value : value.Replace('\r', ' ').Replace('\n', ' ');
}
