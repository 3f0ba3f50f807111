using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Palisade.Node.Metrics;

namespace Palisade.Node.Admin;

/// <summary>
/// The read-only admin listener: <c>GET /healthz</c> (the process is alive), <c>GET /readyz</c> (ready for
/// traffic; 503 with reasons otherwise), <c>GET /metrics</c> (Prometheus text format).
/// </summary>
public static class AdminEndpoints
{
    public static void Map(WebApplication app, NodeReadiness readiness, NodeMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(readiness);
        ArgumentNullException.ThrowIfNull(metrics);

        app.MapMethods("/healthz", ["GET", "HEAD"], (HttpContext context) => WriteStatusAsync(context, StatusCodes.Status200OK, "alive", []));

        app.MapMethods("/readyz", ["GET", "HEAD"], async (HttpContext context) =>
        {
            var reasons = await readiness.CheckAsync(context.RequestAborted);
            await WriteStatusAsync(context, reasons.Count == 0 ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable, reasons.Count == 0 ? "ready" : "not_ready", reasons);
        });

        app.MapMethods("/metrics", ["GET", "HEAD"], async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
    }

    private static async Task WriteStatusAsync(HttpContext context, int status, string text, IReadOnlyList<string> reasons)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", text);
        if (reasons.Count > 0)
        {
            json.WriteStartArray("reasons");
            foreach (var reason in reasons)
            {
                json.WriteStringValue(reason);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }
}
