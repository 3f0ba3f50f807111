using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Palisade.Detection.Verdicts;
using Palisade.Node.Configuration;
using Palisade.Node.Policy;

namespace Palisade.Node.Admin;

/// <summary>
/// <c>GET /api/config</c>: the configuration in force, as the console shows it: every option by key (the admin
/// token shown only as set), the configuration file, the routes with their settings and the size of the policy.
/// <c>POST /api/config/reload</c> reloads it as SIGHUP does.
/// </summary>
public static class PolicyEndpoints
{
    public static void Map(WebApplication app, LivePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(policy);
        app.MapGet("/api/config", (HttpContext context) => ShowAsync(context, policy));
        app.MapPost("/api/config/reload", async (HttpContext context) =>
        {
            var applied = await policy.ReloadAsync();
            await ApiIo.WriteJsonAsync(context, applied ? StatusCodes.Status200OK : StatusCodes.Status409Conflict, json =>
            {
                json.WriteStartObject();
                json.WriteBoolean("applied", applied);
                if (!applied)
                {
                    json.WriteString("error", policy.ConfigFile is null ? "the node has no configuration file" : "the configuration was rejected: see the node's log (ConfigReloadRejected)");
                }

                json.WriteEndObject();
            });
        });
    }

    private static Task ShowAsync(HttpContext context, LivePolicy policy)
    {
        var options = policy.Options;
        var current = policy.Active.Current;
        return ApiIo.WriteJsonAsync(context, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject();
            json.WriteString("mode", options.Mode.ToName());
            ApiIo.WriteOptional(json, "config_file", policy.ConfigFile);

            json.WriteStartObject("options");
            foreach (var setting in NodeSettings.All)
            {
                json.WriteString(setting.Key, setting.Format(options));
            }

            json.WriteEndObject();
            json.WriteStartArray("routes");
            foreach (var route in current.Routes.Append(current.Default))
            {
                json.WriteStartObject();
                json.WriteString("name", route.Name);
                json.WriteString("match", route.Match.ToString());
                json.WriteString("mode", route.Mode.ToName());
                json.WriteNumber("inspection_limit", route.InspectionLimit);
                json.WriteBoolean("fail_open", route.FailOpen);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("policy");
            json.WriteNumber("exclusions", options.Exclusions.Count);
            json.WriteNumber("runtime_exclusions", policy.RuntimeExclusions.Count);
            json.WriteNumber("virtual_patches", options.VirtualPatches.Count);
            json.WriteNumber("allow_rules", options.AllowRules.Count);
            json.WriteNumber("rate_limits", options.RateLimits.Count);
            json.WriteNumber("ip_list_entries", options.IpLists.Count);
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }
}
