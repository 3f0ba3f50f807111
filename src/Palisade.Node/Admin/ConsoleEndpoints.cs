using System.Collections.Frozen;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Palisade.Node.Admin;

/// <summary>
/// The web console on the management listener: <c>GET /</c> (the page) and <c>GET /console/{file}</c> (its script,
/// style sheet and icon), embedded in the binary. They carry no data, so they are served without the admin token; the
/// page asks for the token when the API answers 401 and sends it as <c>Authorization: Bearer</c>. The Content
/// Security Policy allows nothing but this origin's own files: no inline script, no other origin, no framing.
/// </summary>
public static class ConsoleEndpoints
{
    /// <summary>The Content-Security-Policy every console response carries.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, (string Resource, string ContentType)> Assets =
        new Dictionary<string, (string, string)>(StringComparer.Ordinal)
        {
            ["/"] = ("console/index.html", "text/html; charset=utf-8"),
            ["/console/console.js"] = ("console/console.js", "text/javascript; charset=utf-8"),
            ["/console/console.css"] = ("console/console.css", "text/css; charset=utf-8"),
            ["/console/favicon.svg"] = ("console/favicon.svg", "image/svg+xml"),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        foreach (var (path, (resource, contentType)) in Assets)
        {
            var content = Load(resource);
            app.MapGet(path, (HttpContext context) => ServeAsync(context, content, contentType)).AllowAnonymous();
        }
    }

    private static byte[] Load(string resource)
    {
        using var stream = typeof(ConsoleEndpoints).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the console resource {resource} is missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static Task ServeAsync(HttpContext context, byte[] content, string contentType)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers.CacheControl = "no-store";
        context.Response.ContentType = contentType;
        context.Response.ContentLength = content.Length;
        return context.Response.Body.WriteAsync(content, context.RequestAborted).AsTask();
    }
}
