using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Palisade.Detection.Snapshots;

namespace Palisade.Node.Inspection;

/// <summary>Builds the engine's view of a request from what Kestrel received: raw target, every header value, buffered body.</summary>
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
                headers.Add(new HttpHeader(name, values[0] ?? ""));
                continue;
            }

            foreach (var value in values)
            {
                headers.Add(new HttpHeader(name, value ?? ""));
            }
        }

        return new RequestSnapshot(request.Method, context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget, headers)
        {
            Body = body?.Inspected ?? ReadOnlyMemory<byte>.Empty,
            BodyTruncated = body?.Truncated ?? false,
            RemoteIp = client,
        };
    }
}
