using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Palisade.Node.Events;

namespace Palisade.Node.Admin;

/// <summary>
/// The attack log over the management API: <c>GET /api/events</c> (newest first; filters <c>from</c>, <c>to</c>,
/// <c>type</c> (attack type), <c>ip</c>, <c>path</c> (prefix), <c>action</c>, <c>event</c>, <c>limit</c>,
/// <c>before</c> (cursor)), <c>GET /api/events/{id}</c> (the whole decision: every finding with its point split into
/// the place in the request and the decoders peeled to reach the value, the detector, the masked evidence, and the
/// route, mode and action that decided) and <c>GET /api/stats</c> (counts by attack type, route and action over
/// the latest events). Without an attack log they answer 404 with the reason.
/// </summary>
public static class EventEndpoints
{
    /// <summary>How many of the latest events <c>/api/stats</c> counts.</summary>
    public const int StatsWindow = 1000;

    public static void Map(WebApplication app, SqliteAttackLog? log)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/events", (HttpContext context) => ListAsync(context, log));
        app.MapGet("/api/events/{id}", (HttpContext context) => GetAsync(context, log, context.Request.RouteValues["id"] as string ?? ""));
        app.MapGet("/api/stats", (HttpContext context) => StatsAsync(context, log));
    }

    /// <summary>A stored event by id, or null; the management API's other endpoints read it too.</summary>
    internal static async Task<StoredAttackEvent?> FindAsync(SqliteAttackLog log, string id, CancellationToken cancellationToken) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? await log.GetAsync(number, cancellationToken) : null;

    /// <summary>Answers 404 when there is no attack log to read.</summary>
    internal static async Task<bool> RequireLogAsync(HttpContext context, SqliteAttackLog? log)
    {
        if (log is not null)
        {
            return true;
        }

        await ApiIo.WriteErrorAsync(context, StatusCodes.Status404NotFound, "attack-log", "the node has no attack log: set attack-log to a writable file");
        return false;
    }

    private static async Task ListAsync(HttpContext context, SqliteAttackLog? log)
    {
        if (!await RequireLogAsync(context, log))
        {
            return;
        }

        var (query, field, error) = ParseQuery(context.Request.Query);
        if (query is null)
        {
            await ApiIo.WriteErrorAsync(context, StatusCodes.Status400BadRequest, field, error);
            return;
        }

        IReadOnlyList<StoredAttackEvent> events;
        try
        {
            events = await log!.ListAsync(query, context.RequestAborted);
        }
        catch (SqliteException e)
        {
            await ApiIo.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "attack-log", $"the attack log cannot be read: {e.Message}");
            return;
        }

        await ApiIo.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("events");
            foreach (var stored in events)
            {
                WriteSummary(json, stored);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (events.Count == query.Limit)
            {
                json.WriteNumber("next_before", events[^1].Id);
            }
            else
            {
                json.WriteNull("next_before");
            }

            json.WriteEndObject();
        });
    }

    private static async Task GetAsync(HttpContext context, SqliteAttackLog? log, string id)
    {
        if (!await RequireLogAsync(context, log))
        {
            return;
        }

        var stored = await FindAsync(log!, id, context.RequestAborted);
        if (stored is null)
        {
            await ApiIo.WriteErrorAsync(context, StatusCodes.Status404NotFound, "id", $"no event {id}");
            return;
        }

        await ApiIo.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            WriteSummary(json, stored);
            json.WriteBoolean("body_truncated", stored.BodyTruncated);
            if (stored.Reason is not null)
            {
                json.WriteString("reason", stored.Reason);
            }

            json.WriteStartArray("findings");
            foreach (var finding in StoredFindings.Read(stored.FindingsJson))
            {
                json.WriteStartObject();
                json.WriteString("type", finding.Type);
                json.WriteString("point", finding.Point);
                json.WriteString("location", finding.Location);
                json.WriteStartArray("decoders");
                foreach (var decoder in finding.Decoders)
                {
                    json.WriteStringValue(decoder);
                }

                json.WriteEndArray();
                json.WriteString("detector", finding.Detector);
                json.WriteString("reason", finding.Reason);
                json.WriteString("evidence", finding.Evidence);
                json.WriteNumber("score", finding.Score);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("decision", Decision(stored));
            json.WriteEndObject();
        });
    }

    private static async Task StatsAsync(HttpContext context, SqliteAttackLog? log)
    {
        if (!await RequireLogAsync(context, log))
        {
            return;
        }

        var events = await log!.ListAsync(new AttackEventQuery { Limit = StatsWindow }, context.RequestAborted);
        var types = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var routes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var actions = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var stored in events)
        {
            foreach (var type in stored.AttackTypes)
            {
                types[type] = types.GetValueOrDefault(type) + 1;
            }

            if (stored.Type == "protocol_violation" || stored.Type == "ip_denied")
            {
                types[stored.Type] = types.GetValueOrDefault(stored.Type) + 1;
            }

            var route = stored.Route ?? "-";
            routes[route] = routes.GetValueOrDefault(route) + 1;
            actions[stored.Action] = actions.GetValueOrDefault(stored.Action) + 1;
        }

        await ApiIo.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteNumber("events", events.Count);
            WriteCounts(json, "by_type", types);
            WriteCounts(json, "by_route", routes);
            WriteCounts(json, "by_action", actions);
            json.WriteEndObject();
        });
    }

    private static void WriteCounts(Utf8JsonWriter json, string name, SortedDictionary<string, int> counts)
    {
        json.WriteStartObject(name);
        foreach (var (key, count) in counts)
        {
            json.WriteNumber(key, count);
        }

        json.WriteEndObject();
    }

    // Leaves the object open for the caller to add to.
    private static void WriteSummary(Utf8JsonWriter json, StoredAttackEvent stored)
    {
        json.WriteStartObject();
        json.WriteNumber("id", stored.Id);
        json.WriteString("time", stored.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        json.WriteString("event", stored.Type);
        json.WriteString("request_id", stored.RequestId);
        json.WriteString("client_ip", stored.ClientIp);
        ApiIo.WriteOptional(json, "method", stored.Method);
        ApiIo.WriteOptional(json, "host", stored.Host);
        ApiIo.WriteOptional(json, "path", stored.Path);
        ApiIo.WriteOptional(json, "route", stored.Route);
        ApiIo.WriteOptional(json, "mode", stored.Mode);
        json.WriteString("action", stored.Action);
        json.WriteStartArray("attack_types");
        foreach (var type in stored.AttackTypes)
        {
            json.WriteStringValue(type);
        }

        json.WriteEndArray();
    }

    private static string Decision(StoredAttackEvent stored) => stored.Type switch
    {
        "ip_denied" => $"the source is on the deny list ({stored.Reason}); refused before inspection",
        "protocol_violation" => $"protocol violation {stored.Reason}: refused with {stored.Status} in every mode",
        _ => stored.Action == "block"
            ? $"route {stored.Route ?? "default"} in {stored.Mode} mode: blocked because of the findings below"
            : $"route {stored.Route ?? "default"} in {stored.Mode} mode: forwarded and recorded (the mode does not block this request)",
    };

    private static (AttackEventQuery? Query, string Field, string Error) ParseQuery(IQueryCollection query)
    {
        var result = new AttackEventQuery();
        foreach (var (key, values) in query)
        {
            var value = values.ToString();
            switch (key)
            {
                case "from" or "to":
                    if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                    {
                        return (null, key, $"'{value}' is not a date and time (2026-11-28T10:00:00Z)");
                    }

                    result = key == "from" ? result with { From = time } : result with { To = time };
                    break;
                case "type":
                    result = result with { AttackType = value };
                    break;
                case "ip":
                    result = result with { ClientIp = value };
                    break;
                case "path":
                    result = result with { PathPrefix = value };
                    break;
                case "action":
                    result = result with { Action = value };
                    break;
                case "event":
                    result = result with { Type = value };
                    break;
                case "limit":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit is < 1 or > SqliteAttackLog.MaxListLimit)
                    {
                        return (null, key, $"must be a whole number from 1 to {SqliteAttackLog.MaxListLimit}");
                    }

                    result = result with { Limit = limit };
                    break;
                case "before":
                    if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var before))
                    {
                        return (null, key, "must be an event id");
                    }

                    result = result with { BeforeId = before };
                    break;
                default:
                    return (null, key, "unknown filter: use from, to, type, ip, path, action, event, limit or before");
            }
        }

        return (result, "", "");
    }
}
