using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Palisade.Node.FrontDoor;

namespace Palisade.Node.Events;

/// <summary>
/// A request the front door refused: <c>{"time","event":"protocol_violation","request_id","client_ip","reason",
/// "status"}</c>. Carries nothing of the request but the reason's fixed name.
/// </summary>
public sealed record ProtocolViolationEvent(DateTimeOffset Time, string RequestId, string ClientIp, ProtocolViolation Violation) : INodeEvent
{
    public void WriteJsonLine(IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("time", Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        json.WriteString("event", "protocol_violation");
        json.WriteString("request_id", RequestId);
        json.WriteString("client_ip", ClientIp);
        json.WriteString("reason", Violation.Code());
        json.WriteNumber("status", Violation.Status());
        json.WriteEndObject();
        json.Flush();
        output.Write("\n"u8);
    }
}
