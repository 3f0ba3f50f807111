using Palisade.Detection.Detectors;
using Palisade.Detection.Findings;
using Palisade.Detection.Rules;
using Palisade.Node.Configuration;
using YamlDotNet.RepresentationModel;

namespace Palisade.Node.Policy;

/// <summary>
/// Reads the <c>exclusions</c> section: each turns detectors off at point patterns on a route or scope.
/// <c>detectors</c> lists attack types (<c>xss</c>) or detector ids (<c>sqli.grammar</c>); without it, all.
/// </summary>
internal static class ExclusionsYaml
{
    private static readonly Lazy<HashSet<string>> DetectorIds = new(() => BuiltInDetectors.Create().Select(d => d.Id).ToHashSet(StringComparer.Ordinal));

    public static NodeOptions Apply(NodeOptions options, YamlNode node, string fileName)
    {
        var exclusions = new List<Exclusion>();
        var items = YamlMapping.Sequence(node, "exclusions", fileName);
        for (var i = 0; i < items.Count; i++)
        {
            var mapping = YamlMapping.Of(items[i], $"exclusions[{i}]", fileName);
            var name = PolicyNames.Read(mapping, "name", required: false) ?? $"exclusion-{i}";
            if (exclusions.Exists(e => e.Name == name))
            {
                throw mapping.Error("name", $"an exclusion named '{name}' exists already");
            }

            var scope = RequestScopeYaml.Read(mapping, options.Routes);
            var points = mapping.OptionalList("points") ?? mapping.OptionalList("point")
                ?? throw mapping.Error("points", "is required: the point patterns the exclusion covers (body.json.comment, query.*)");
            if (mapping.Has("point") && mapping.Has("points"))
            {
                throw mapping.Error("point", "cannot be combined with points");
            }

            var types = new HashSet<AttackType>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var detector in mapping.OptionalList("detectors") ?? [])
            {
                if (AttackTypeNames.TryParse(detector, out var type) && type is not (AttackType.Overlimit or AttackType.VirtualPatch))
                {
                    types.Add(type.Value);
                }
                else if (DetectorIds.Value.Contains(detector))
                {
                    ids.Add(detector);
                }
                else
                {
                    throw mapping.Error("detectors", $"'{detector}' is neither an attack type (sqli, xss, ...) nor a detector id (sqli.grammar, ...)");
                }
            }

            _ = mapping.OptionalString("reason");
            mapping.EnsureAllRead("route");
            foreach (var text in points)
            {
                var pattern = PointPattern.TryParse(text, out var error) ?? throw mapping.Error(mapping.Has("points") ? "points" : "point", error!);
                var suffix = points.Count == 1 ? "" : $"-{exclusions.Count(e => e.Name.StartsWith(name, StringComparison.Ordinal))}";
                exclusions.Add(new Exclusion(name + suffix, scope, pattern, types, ids));
            }
        }

        return options with { Exclusions = exclusions };
    }
}
