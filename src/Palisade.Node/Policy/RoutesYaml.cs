using Palisade.Node.Configuration;
using YamlDotNet.RepresentationModel;

namespace Palisade.Node.Policy;

/// <summary>
/// Reads the <c>routes</c> section: a list of routes, each with a unique name, the requests it matches and the
/// settings it overrides (<c>mode</c>, <c>inspection-limit</c>, <c>oversize-policy</c>, <c>fail-open</c>,
/// <c>overlimit-policy</c>). The
/// first route that matches a request is its route; requests no route matches follow the global settings.
/// </summary>
internal static class RoutesYaml
{
    public static NodeOptions Apply(NodeOptions options, YamlNode node, string fileName)
    {
        var routes = new List<RouteDefinition>();
        var items = YamlMapping.Sequence(node, "routes", fileName);
        for (var i = 0; i < items.Count; i++)
        {
            var mapping = YamlMapping.Of(items[i], $"routes[{i}]", fileName);
            var name = PolicyNames.Read(mapping, "name", required: true)!;
            if (routes.Exists(r => r.Name == name) || name == PolicyNames.DefaultRoute)
            {
                throw mapping.Error("name", name == PolicyNames.DefaultRoute ? "'default' names the global settings" : $"a route named '{name}' exists already");
            }

            var route = new RouteDefinition(
                name,
                RequestScopeYaml.Read(mapping, routes: null),
                mapping.OptionalString("mode") is { } mode ? mapping.Parse("mode", mode, NodeSettings.ParseMode) : null,
                mapping.OptionalString("inspection-limit") is { } limit ? mapping.Parse("inspection-limit", limit, NodeSettings.ParseLimit) : null,
                mapping.OptionalString("oversize-policy") is { } oversize ? mapping.Parse("oversize-policy", oversize, NodeSettings.ParseOversize) : null,
                mapping.OptionalBool("fail-open"),
                mapping.OptionalString("overlimit-policy") is { } overlimit ? mapping.Parse("overlimit-policy", overlimit, NodeSettings.ParseOverlimit) : null);
            mapping.EnsureAllRead();
            routes.Add(route);
        }

        return options with { Routes = routes };
    }
}
