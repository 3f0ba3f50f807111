using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Palisade.Node.SharedState;

namespace Palisade.Node.Admin;

/// <summary>
/// <c>GET /api/shared-events?limit=&amp;before=</c>: the events of every replica, newest first, from the Redis stream
/// they all append to (<c>redis</c> configured): <c>{"events":[{"id","replica","event":{...the event's JSON...}}],
/// "next_before"}</c>. 404 without Redis, 503 while Redis does not answer.
/// </summary>
public static class SharedEventEndpoints
{
    public static void Map(WebApplication app, SharedEventStream? stream)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/shared-events", (HttpContext context) => ListAsync(context, stream));
    }

    private static async Task ListAsync(HttpContext context, SharedEventStream? stream)
    {
        if (stream is null)
        {
            await ApiIo.WriteErrorAsync(context, StatusCodes.Status404NotFound, "redis", "the node shares no state: set redis to see the events of every replica");
            return;
        }

        var limitText = context.Request.Query["limit"].ToString();
        var limit = 100;
        if (limitText.Length > 0 && (!int.TryParse(limitText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit is < 1 or > SharedEventStream.MaxReadCount))
        {
            await ApiIo.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "limit", $"must be a whole number from 1 to {SharedEventStream.MaxReadCount}");
            return;
        }

        var before = context.Request.Query["before"].ToString();
        IReadOnlyList<SharedEvent>? events;
        try
        {
            events = await stream.ReadRecentAsync(limit, before.Length == 0 ? null : before);
        }
        catch (ArgumentException)
        {
            await ApiIo.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "before", "must be a stream id (milliseconds-sequence)");
            return;
        }

        if (events is null)
        {
            await ApiIo.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "redis", "Redis does not answer; this replica's own events are at /api/events");
            return;
        }

        await ApiIo.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("events");
            foreach (var shared in events)
            {
                json.WriteStartObject();
                json.WriteString("id", shared.Id);
                json.WriteString("replica", shared.Origin);
                json.WritePropertyName("event");
                // The stored text is the event's own JSON line; anything else is passed on as a string.
                try
                {
                    using var document = JsonDocument.Parse(shared.Json);
                    document.RootElement.WriteTo(json);
                }
                catch (JsonException)
                {
                    json.WriteStringValue(System.Text.Encoding.UTF8.GetString(shared.Json.Span));
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (events.Count == limit)
            {
                json.WriteString("next_before", events[^1].Id);
            }
            else
            {
                json.WriteNull("next_before");
            }

            json.WriteEndObject();
        });
    }
}
