using System.Net;
using System.Text;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Palisade.Detection.Snapshots;

namespace Palisade.Node.Inspection;

/// <summary>
/// Builds the engine's view of a request from what Kestrel received: raw target, every header value (UTF-8 where its
/// bytes are UTF-8), buffered body.
/// </summary>
internal static class RequestSnapshotFactory
{
    public static RequestSnapshot Create(HttpContext context, IPAddress? client, RequestBodyBuffer? body)
    {
        var request = context.Request;
        var headers = new List<HttpHeader>(request.Headers.Count + 2);
        foreach (var (name, values) in request.Headers)
        {
            if (values.Count == 1)
            {
                headers.Add(new HttpHeader(name, AsText(values[0])));
                continue;
            }

            foreach (var value in values)
            {
                headers.Add(new HttpHeader(name, AsText(value)));
            }
        }

        return new RequestSnapshot(request.Method, context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget, headers)
        {
            Body = body?.Inspected ?? ReadOnlyMemory<byte>.Empty,
            BodyTruncated = body?.Truncated ?? false,
            RemoteIp = client,
        };
    }

    // Header values are read one char per byte (Latin-1, so they can be forwarded unchanged); bytes that form UTF-8,
    // as browsers send in cookies, are inspected as the text they spell (a fullwidth '＜' stays one).
    private static string AsText(string? value)
    {
        if (value is null)
        {
            return "";
        }

        if (!value.AsSpan().ContainsAnyExceptInRange('\0', '\x7f'))
        {
            return value;
        }

        var bytes = Encoding.Latin1.GetBytes(value);
        return Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : value;
    }
}
