using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Palisade.Node.Admin;

/// <summary>Reading and writing the management API's JSON: bounded bodies in, <see cref="Utf8JsonWriter"/> out (no reflection, as native AOT requires).</summary>
internal static class ApiIo
{
    internal static bool IsJson(string? contentType) =>
        contentType is not null && (contentType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/json;", StringComparison.OrdinalIgnoreCase));

    // The body, or null when it is over the limit (by its Content-Length, or once read).
    internal static async Task<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > ManagementEndpoints.MaxBodyBytes)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var memory = buffer.GetMemory(4096);
            var read = await context.Request.Body.ReadAsync(memory, context.RequestAborted);
            if (read == 0)
            {
                return buffer.WrittenMemory;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > ManagementEndpoints.MaxBodyBytes)
            {
                return null;
            }
        }
    }

    internal static Task WriteErrorAsync(HttpContext context, int status, string field, string message) =>
        WriteJsonAsync(context, status, json =>
        {
            json.WriteStartObject();
            json.WriteString("error", message);
            json.WriteString("field", field);
            json.WriteEndObject();
        });

    internal static async Task WriteJsonAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        write(json);
        await json.FlushAsync(context.RequestAborted);
    }

    /// <summary>A string property, or null when there is no value.</summary>
    internal static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
