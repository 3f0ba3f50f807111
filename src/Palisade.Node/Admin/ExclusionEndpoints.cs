using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Palisade.Node.Events;
using Palisade.Node.Policy;

namespace Palisade.Node.Admin;

/// <summary>
/// <c>POST /api/exclusions/from-event/{id}</c>: the narrowest exclusions that let a flagged request through (its
/// exact path and method, each finding's point and detector), as JSON and as the YAML to paste. With
/// <c>{"confirm": true}</c> they are put in force at once: written to the configuration file and reloaded when it
/// is writable, held in memory until the next restart otherwise; the answer says which.
/// </summary>
public static class ExclusionEndpoints
{
    public static void Map(WebApplication app, SqliteAttackLog? log, LivePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(policy);
        app.MapPost("/api/exclusions/from-event/{id}", (HttpContext context) => ProposeAsync(context, log, policy, context.Request.RouteValues["id"] as string ?? ""));
    }

    private static async Task ProposeAsync(HttpContext context, SqliteAttackLog? log, LivePolicy policy, string id)
    {
        if (!await EventEndpoints.RequireLogAsync(context, log))
        {
            return;
        }

        var confirm = false;
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            if (!ApiIo.IsJson(context.Request.ContentType))
            {
                await ApiIo.WriteErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, "content-type", "the body must be application/json");
                return;
            }

            var body = await ApiIo.ReadBodyAsync(context);
            if (body is null)
            {
                await ApiIo.WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, "body", "the body is too large");
                return;
            }

            try
            {
                using var document = JsonDocument.Parse(body.Value);
                confirm = document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("confirm", out var value) && value.ValueKind == JsonValueKind.True;
            }
            catch (JsonException e)
            {
                await ApiIo.WriteErrorAsync(context, StatusCodes.Status400BadRequest, "body", $"not JSON: {e.Message}");
                return;
            }
        }

        var stored = await EventEndpoints.FindAsync(log!, id, context.RequestAborted);
        if (stored is null)
        {
            await ApiIo.WriteErrorAsync(context, StatusCodes.Status404NotFound, "id", $"no event {id}");
            return;
        }

        if (stored.Type != "attack" || stored.Method is null || stored.Path is null)
        {
            await ApiIo.WriteErrorAsync(context, StatusCodes.Status409Conflict, "id", $"event {id} is a {stored.Type}: only detector findings can be excluded");
            return;
        }

        var findings = StoredFindings.Read(stored.FindingsJson).Select(f => (f.Type, f.Point, f.Detector)).ToList();
        IReadOnlyList<ProposedExclusion> proposals;
        try
        {
            proposals = ExclusionProposer.Propose(stored.RequestId, stored.Method, stored.Path, findings);
        }
        catch (ExclusionRefusedException e)
        {
            await ApiIo.WriteErrorAsync(context, StatusCodes.Status409Conflict, "id", $"event {id} cannot be excluded exactly: {e.Message}");
            return;
        }

        if (proposals.Count == 0)
        {
            await ApiIo.WriteErrorAsync(context, StatusCodes.Status409Conflict, "id", $"event {id} has no finding an exclusion can cover (budgets and virtual patches are decided by the policy itself)");
            return;
        }

        (bool Written, string? Reason)? applied = null;
        if (confirm)
        {
            try
            {
                applied = await policy.AddExclusionsAsync(proposals);
            }
            catch (ExclusionRefusedException e)
            {
                await ApiIo.WriteErrorAsync(context, StatusCodes.Status409Conflict, "id", $"event {id} cannot be excluded now: {e.Message}");
                return;
            }
        }

        await ApiIo.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteStartArray("exclusions");
            foreach (var proposal in proposals)
            {
                json.WriteStartObject();
                json.WriteString("name", proposal.Name);
                ApiIo.WriteOptional(json, "path", proposal.Path);

                json.WriteString("method", proposal.Method);
                json.WriteString("point", proposal.Point);
                json.WriteString("detector", proposal.DetectorId);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("yaml", "exclusions:\n" + string.Concat(proposals.Select(p => p.ToYaml())));
            json.WriteBoolean("applied", applied is not null);
            if (applied is { } result)
            {
                json.WriteBoolean("written", result.Written);
                if (result.Reason is not null)
                {
                    json.WriteString("not_written_because", result.Reason);
                }
            }

            json.WriteEndObject();
        });
    }
}
