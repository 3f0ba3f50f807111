using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Palisade.Node.Proxy;

/// <summary>
/// When a request that failed on its way to the application may go again, once. Only a request with a safe method
/// (GET, HEAD, OPTIONS, TRACE) and no body, and only when the application ended the connection before a byte of an
/// answer (an idle keep-alive connection it closed just as the request was written on it, a reset): RFC 9110 §9.2.2
/// allows retrying exactly these, since repeating them changes nothing. A refused connection (the application is
/// down) is not retried: it is answered 502 at once.
/// </summary>
internal static class UpstreamRetry
{
    public static bool IsRetryable(HttpContext context)
    {
        var request = context.Request;
        if (context.Response.HasStarted || !IsSafe(request.Method) || request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            return false;
        }

        var failure = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        return failure is HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded }
            || (failure is HttpRequestException { HttpRequestError: not HttpRequestError.ConnectionError } && (failure.InnerException is IOException or SocketException));
    }

    /// <summary>Undoes what the failed attempt left on the response (a 502 status, the error feature).</summary>
    public static void Reset(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Features.Set<IForwarderErrorFeature>(null);
    }

    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);
}
