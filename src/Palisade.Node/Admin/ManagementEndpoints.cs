using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Palisade.Node.Access;
using Palisade.Node.Configuration;

namespace Palisade.Node.Admin;

/// <summary>
/// The management API, on its own listener (loopback by default, never the read-only admin listener):
/// <c>GET /api/ip-lists</c>, <c>POST /api/ip-lists</c> with <c>{list, cidr, reason?, ttl? | expires?}</c>, and
/// <c>DELETE /api/ip-lists/{list}/{cidr}</c>. With an admin token every request must carry
/// <c>Authorization: Bearer TOKEN</c>, except for endpoints marked anonymous (the console's files, which hold no data). Bodies are JSON (<c>application/json</c>, which a browser cannot send
/// cross-origin without a preflight) of at most 64 KiB. Reading and writing use <see cref="Utf8JsonWriter"/> and
/// <see cref="JsonDocument"/>: nothing depends on reflection, as native AOT requires.
/// </summary>
public static partial class ManagementEndpoints
{
    public const int MaxBodyBytes = 64 * 1024;

    public static void Map(WebApplication app, IpAccessStore store, string? adminToken, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);

        var expectedHash = adminToken is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(adminToken));
        app.Use(async (context, next) =>
        {
            // The console's own files (no data) are marked anonymous; the routing middleware has chosen the endpoint.
            if (expectedHash is not null && context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is null
                && !Authorized(context.Request, expectedHash))
            {
                Log.Unauthorized(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await ApiIo.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "authorization", "a valid Authorization: Bearer token is required");
                return;
            }

            await next(context);
        });

        app.MapGet("/api/ip-lists", (HttpContext context) => ListAsync(context, store, time));
        app.MapPost("/api/ip-lists", (HttpContext context) => AddAsync(context, store, time, logger));
        app.MapDelete("/api/ip-lists/{list}/{**cidr}", (HttpContext context) => RemoveAsync(context, store, logger));
    }

    private static bool Authorized(HttpRequest request, byte[] expectedHash)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Hashes of equal length compared in constant time: neither the token's bytes nor its length leak through timing.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, expectedHash);
    }

    private static async Task ListAsync(HttpContext context, IpAccessStore store, TimeProvider time)
    {
        var now = time.GetUtcNow();
        await ApiIo.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("entries");
            foreach (var entry in store.Entries)
            {
                if (!entry.IsExpired(now))
                {
                    WriteEntry(json, entry);
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        });
    }

    private static async Task AddAsync(HttpContext context, IpAccessStore store, TimeProvider time, ILogger logger)
    {
        if (!ApiIo.IsJson(context.Request.ContentType))
        {
            await ApiIo.WriteErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, "content-type", "the body must be application/json");
            return;
        }

        if (await ApiIo.ReadBodyAsync(context) is not { } body)
        {
            await ApiIo.WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "body", $"the body is limited to {MaxBodyBytes.ToString(CultureInfo.InvariantCulture)} bytes");
            return;
        }

        var (entry, field, error) = ParseEntry(body, time.GetUtcNow());
        if (entry is null)
        {
            await ApiIo.WriteErrorAsync(context, StatusCodes.Status400BadRequest, field, error);
            return;
        }

        var stored = store.Add(entry);
        Log.Added(logger, stored.Kind, stored.Network, stored.Expires, stored.Reason);
        await ApiIo.WriteJsonAsync(context, StatusCodes.Status201Created, json => WriteEntry(json, stored));
    }

    private static async Task RemoveAsync(HttpContext context, IpAccessStore store, ILogger logger)
    {
        var list = context.Request.RouteValues["list"] as string;
        var cidr = Uri.UnescapeDataString(context.Request.RouteValues["cidr"] as string ?? "");
        if (!IpListNames.TryParseKind(list, out var kind))
        {
            await ApiIo.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "list", "use allow, deny or gray");
            return;
        }

        if (!IpCidr.TryParse(cidr, out var network, out var error))
        {
            await ApiIo.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "cidr", error);
            return;
        }

        var removal = store.Remove(network, kind);
        if (removal == IpListRemoval.NotFound)
        {
            await ApiIo.WriteErrorAsync(context, StatusCodes.Status404NotFound, "cidr", $"{network} is not on the {kind.ToName()} list");
            return;
        }

        Log.Removed(logger, kind, network, removal);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    // {list, cidr, reason?, ttl? | expires?}: the entry, or the field at fault and why.
    internal static (IpListEntry? Entry, string Field, string Error) ParseEntry(ReadOnlyMemory<byte> body, DateTimeOffset now)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException e)
        {
            return (null, "body", $"not JSON: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, "body", "expects a JSON object {list, cidr, reason?, ttl? or expires?}");
            }

            string? list = null, cidr = null, reason = null, ttl = null, expires = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var isText = property.Value.ValueKind == JsonValueKind.String;
                var value = isText ? property.Value.GetString() : property.Value.ValueKind == JsonValueKind.Number ? property.Value.GetRawText() : null;
                if (property.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                switch (property.Name)
                {
                    case "list" when isText:
                        list = value;
                        break;
                    case "cidr" when isText:
                        cidr = value;
                        break;
                    case "reason" when isText:
                        reason = value;
                        break;
                    case "ttl" when value is not null:
                        ttl = value;
                        break;
                    case "expires" when isText:
                        expires = value;
                        break;
                    case "list" or "cidr" or "reason" or "expires" or "ttl":
                        return (null, property.Name, property.Name == "ttl" ? "expects a duration (90s, 10m, 24h) or a number of seconds" : "expects a string");
                    default:
                        return (null, property.Name, "unknown field: use list, cidr, reason, ttl, expires");
                }
            }

            if (!IpListNames.TryParseKind(list, out var kind))
            {
                return (null, "list", list is null ? "is required: allow, deny or gray" : $"'{list}' is not a list: use allow, deny or gray");
            }

            if (!IpCidr.TryParse(cidr, out var network, out var cidrError))
            {
                return (null, "cidr", cidrError);
            }

            if (reason is { Length: > 256 })
            {
                return (null, "reason", "is limited to 256 characters");
            }

            DateTimeOffset? until = null;
            if (ttl is not null && expires is not null)
            {
                return (null, "ttl", "give ttl or expires, not both");
            }

            if (ttl is not null)
            {
                TimeSpan span;
                try
                {
                    span = Duration.Parse(ttl);
                }
                catch (FormatException e)
                {
                    return (null, "ttl", e.Message);
                }

                if (span <= TimeSpan.Zero || span > TimeSpan.FromDays(3650))
                {
                    return (null, "ttl", "must be longer than zero and at most 3650 days");
                }

                until = now + span;
            }
            else if (expires is not null)
            {
                if (!IpListsYaml.TryParseTime(expires, out var time))
                {
                    return (null, "expires", $"'{expires}' is not a date and time (2026-12-31T00:00:00Z)");
                }

                if (time <= now)
                {
                    return (null, "expires", "is in the past");
                }

                until = time;
            }

            return (new IpListEntry(network, kind, string.IsNullOrWhiteSpace(reason) ? null : reason, until, IpListSource.Api), "", "");
        }
    }

    private static void WriteEntry(Utf8JsonWriter json, IpListEntry entry)
    {
        json.WriteStartObject();
        json.WriteString("list", entry.Kind.ToName());
        json.WriteString("cidr", entry.Network.ToString());
        if (entry.Reason is null)
        {
            json.WriteNull("reason");
        }
        else
        {
            json.WriteString("reason", entry.Reason);
        }

        if (entry.Expires is { } expires)
        {
            json.WriteString("expires", expires.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        }
        else
        {
            json.WriteNull("expires");
        }

        json.WriteString("source", entry.Source.ToName());
        json.WriteEndObject();
    }
}
