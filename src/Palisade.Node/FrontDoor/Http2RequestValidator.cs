using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Palisade.Node.FrontDoor;

/// <summary>
/// The front door's rules for a request that arrived over HTTP/2. Kestrel parses the frames and enforces what
/// RFC 9113 makes a connection or stream error (upper-case names, CR/LF/NUL in fields, a body longer than its
/// content-length); the rules of the HTTP/1.x front door that are about the request itself apply here too, since the
/// application receives it as HTTP/1.1: the target (fragments, bad or NUL escapes, spaces), duplicate Content-Type
/// or Host, underscore twins of framing names, charsets, and no connection-specific field (RFC 9113 §8.2.2), which
/// HTTP/1.1 would read as framing.
/// </summary>
internal static class Http2RequestValidator
{
    private static readonly string[] ConnectionSpecific = ["transfer-encoding", "connection", "keep-alive", "proxy-connection", "upgrade"];

    public static ProtocolViolation? Check(HttpContext context, FrontDoorLimits limits)
    {
        var request = context.Request;
        var validator = new RequestHeadValidator(limits);
        var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        if (target.Contains(' ', StringComparison.Ordinal))
        {
            // In a request line the space would end the target; here it is just a byte no target may hold.
            return ProtocolViolation.BadTarget;
        }

        if (validator.RequestLine(Encoding.Latin1.GetBytes($"{request.Method} {target} HTTP/1.1")) is { } badLine)
        {
            return badLine;
        }

        foreach (var (name, values) in request.Headers)
        {
            if (ConnectionSpecific.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return ProtocolViolation.ConnectionSpecificHeader;
            }

            foreach (var value in values)
            {
                if (validator.FieldLine(Encoding.Latin1.GetBytes($"{name}: {value}")) is { } badField)
                {
                    return badField;
                }
            }
        }

        return validator.Complete();
    }
}
