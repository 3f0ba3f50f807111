using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Palisade.Node.Events;

/// <summary>A request refused because its source is on the deny list: which request, and which entry refused it.</summary>
public sealed record AccessDeniedEvent(
    DateTimeOffset Time,
    string RequestId,
    string ClientIp,
    string Method,
    string Host,
    string Path,
    string Route,
    string Network,
    string? Reason) : INodeEvent
{
    public void WriteJsonLine(IBufferWriter<byte> output)
    {
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("time", Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            json.WriteString("event", "ip_denied");
            json.WriteString("request_id", RequestId);
            json.WriteString("client_ip", ClientIp);
            json.WriteString("method", Method);
            json.WriteString("host", Host);
            json.WriteString("path", Path);
            json.WriteString("route", Route);
            json.WriteString("network", Network);
            if (Reason is not null)
            {
                json.WriteString("reason", Reason);
            }

            json.WriteEndObject();
        }

        output.Write("\n"u8);
    }
}
