using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Palisade.Node.Proxy;

namespace Palisade.Node.FrontDoor;

/// <summary>
/// Puts HTTP/2 requests through the front door's request rules (<see cref="Http2RequestValidator"/>) before
/// inspection: the HTTP/1.x front door reads the byte stream, which on an HTTP/2 connection is frames.
/// </summary>
public static class Http2FrontDoorMiddleware
{
    public static IApplicationBuilder UseHttp2FrontDoor(this IApplicationBuilder app, FrontDoorLimits limits, Action<ProtocolViolationContext> rejected)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (context, next) =>
        {
            if (!HttpProtocol.IsHttp2(context.Request.Protocol) || Http2RequestValidator.Check(context, limits) is not { } violation)
            {
                await next(context);
                return;
            }

            // The stream ends with the answer; the connection and its other streams go on.
            var requestId = RequestIds.New();
            rejected(new ProtocolViolationContext(violation, context.Connection.RemoteIpAddress is { } ip ? new System.Net.IPEndPoint(ip, context.Connection.RemotePort) : null, requestId, InHead: true));
            var response = context.Response;
            response.StatusCode = violation.Status();
            response.ContentType = "application/json; charset=utf-8";
            response.Headers.CacheControl = "no-store";
            response.Headers[NodeHeaders.PalisadeRequestId] = requestId;
            await response.WriteAsync(violation.ResponseBody(requestId), context.RequestAborted);
        });
    }
}
