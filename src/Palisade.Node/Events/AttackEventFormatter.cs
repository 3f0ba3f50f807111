using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Palisade.Detection.Findings;
using Palisade.Detection.Verdicts;

namespace Palisade.Node.Events;

/// <summary>
/// Writes an <see cref="AttackEvent"/> as one JSON line. Field names are stable (documented in
/// <c>docs/operations.md</c>): <c>time, event, request_id, client_ip, method, host, path, route, mode, action,
/// body_truncated, findings[type, point, detector, reason, evidence, score]</c>.
/// </summary>
public static class AttackEventFormatter
{
    private static readonly JsonWriterOptions Options = new()
    {
        // Events end up in log pipelines, not in HTML: keep '<', '\'' and non-ASCII readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(IBufferWriter<byte> output, AttackEvent attack)
    {
        ArgumentNullException.ThrowIfNull(attack);
        using var json = new Utf8JsonWriter(output, Options);
        json.WriteStartObject();
        json.WriteString("time", attack.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        json.WriteString("event", "attack");
        json.WriteString("request_id", attack.RequestId);
        json.WriteString("client_ip", attack.ClientIp);
        json.WriteString("method", attack.Method);
        json.WriteString("host", attack.Host);
        json.WriteString("path", attack.Path);
        json.WriteString("route", attack.Route);
        json.WriteString("mode", attack.Mode.ToName());
        json.WriteString("action", attack.Action.ToName());
        json.WriteBoolean("body_truncated", attack.BodyTruncated);
        json.WriteFindings(attack.Findings);
        json.WriteEndObject();
        json.Flush();
        output.Write("\n"u8);
    }
}
