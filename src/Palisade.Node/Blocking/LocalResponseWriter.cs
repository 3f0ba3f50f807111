using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Palisade.Node.Blocking;

/// <summary>
/// Writes the node's own answers (block page, 413, 502, 504, 503): JSON when the client asks for JSON, a
/// small HTML page otherwise. Both carry the request id and nothing of the request itself, so an attacker
/// learns nothing about which rule fired.
/// </summary>
public static class LocalResponseWriter
{
    /// <param name="context">The request's context.</param>
    /// <param name="kind">Which answer.</param>
    /// <param name="status">Its status code.</param>
    /// <param name="requestId">The request id shown in the answer.</param>
    /// <param name="retryAfterSeconds">A <c>Retry-After</c> to send (rate limits), or 0.</param>
    public static Task WriteAsync(HttpContext context, LocalResponse kind, int status, string requestId, int retryAfterSeconds = 0)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        response.Clear();
        response.StatusCode = status;
        response.Headers[HeaderNames.CacheControl] = "no-store";
        response.Headers[NodeHeaders.PalisadeRequestId] = requestId;
        if (kind == LocalResponse.Overloaded)
        {
            // Come back in a second, on a new connection.
            response.Headers.RetryAfter = "1";
        }
        else if (retryAfterSeconds > 0)
        {
            response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // HTTP/2 has no such header (Kestrel strips it and logs a warning each time): the stream ends with the answer.
        if (kind is LocalResponse.Overloaded or LocalResponse.PayloadTooLarge or LocalResponse.BadRequestBody or LocalResponse.RequestTimeout
            && !HttpProtocol.IsHttp2(context.Request.Protocol))
        {
            // The body was left unread or its framing broke: this connection carries no further request. Kestrel
            // still reads and discards what the client keeps sending (a lingering close, under the minimum data
            // rate) so that the answer is not lost to a reset.
            response.Headers.Connection = "close";
        }

        var (code, title, message) = Describe(kind);

        string body;
        if (WantsJson(context.Request.Headers.Accept.ToString()))
        {
            response.ContentType = "application/json; charset=utf-8";
            body = $$"""{"error":"{{code}}","status":{{status.ToString(CultureInfo.InvariantCulture)}},"request_id":"{{requestId}}"}""" + "\n";
        }
        else
        {
            response.ContentType = "text/html; charset=utf-8";
            var id = WebUtility.HtmlEncode(requestId);
            body = $"""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>{status} {title}</title></head>
                <body style="font-family:sans-serif;margin:3em"><h1>{title}</h1><p>{message}</p>
                <p>Request id: <code>{id}</code></p></body></html>

                """;
        }

        var bytes = Encoding.UTF8.GetBytes(body);
        response.ContentLength = bytes.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(bytes).AsTask();
    }

    /// <summary>JSON when the client names a JSON type and not HTML (browsers ask for HTML).</summary>
    public static bool WantsJson(string accept) =>
        accept.Contains("json", StringComparison.OrdinalIgnoreCase) && !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private static (string Code, string Title, string Message) Describe(LocalResponse kind) => kind switch
    {
        LocalResponse.Blocked => ("request_blocked", "Request blocked", "This request was blocked by the web application firewall. If you think this is a mistake, contact the site operator with the request id below."),
        LocalResponse.PayloadTooLarge => ("payload_too_large", "Payload too large", "The request body is larger than this service accepts."),
        LocalResponse.BadTarget => ("bad_request_target", "Bad request", "The request-target form is not supported."),
        LocalResponse.BadRequestBody => ("protocol_violation", "Bad request", "The request body is not valid HTTP/1.1 framing."),
        LocalResponse.RequestTimeout => ("request_timeout", "Request timeout", "The request body arrived too slowly."),
        LocalResponse.BadGateway => ("bad_gateway", "Bad gateway", "The application could not be reached."),
        LocalResponse.GatewayTimeout => ("gateway_timeout", "Gateway timeout", "The application did not answer in time."),
        LocalResponse.Overloaded => ("overloaded", "Service overloaded", "The service is short of memory; retry in a moment."),
        LocalResponse.RateLimited => ("rate_limited", "Too many requests", "Too many requests from this client; retry after the time given in Retry-After."),
        _ => ("inspection_unavailable", "Service unavailable", "The request could not be inspected. Please retry."),
    };
}
