using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Palisade.Node.Demo;

/// <summary>
/// The built-in application of <c>palisade node --demo</c>: answers 200 with a short JSON description of
/// what it received (method, the raw request-target exactly as it arrived, headers, body length), so a
/// newcomer sees what the node passes and what it stops.
/// </summary>
public static class DemoEchoApplication
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        long bodyLength = 0;
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            bodyLength += read;
        }

        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body, Options);
        json.WriteStartObject();
        json.WriteString("app", "palisade demo echo");
        json.WriteString("method", context.Request.Method);
        json.WriteString("raw_target", context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget);
        json.WriteStartObject("headers");
        foreach (var (name, value) in context.Request.Headers)
        {
            json.WriteString(name, value.ToString());
        }

        json.WriteEndObject();
        json.WriteNumber("body_length", bodyLength);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
        await context.Response.Body.WriteAsync("\n"u8.ToArray(), context.RequestAborted);
    }
}
