using Palisade.Detection.Rules;
using Palisade.Node.Configuration;
using YamlDotNet.RepresentationModel;

namespace Palisade.Node.Policy;

/// <summary>
/// Reads the <c>virtual-patches</c> and <c>allow-rules</c> sections: each rule has a name, a scope (a route, or a
/// host, path and methods), and optionally a <c>point</c> pattern and one value condition among <c>equals</c>,
/// <c>contains</c>, <c>glob</c> and <c>regex</c> (with <c>ignore-case</c>).
/// </summary>
internal static class RequestRulesYaml
{
    private static readonly (string Key, ValueMatchKind Kind)[] Conditions =
    [
        ("equals", ValueMatchKind.Equals), ("contains", ValueMatchKind.Contains), ("glob", ValueMatchKind.Glob), ("regex", ValueMatchKind.Regex),
    ];

    public static NodeOptions ApplyVirtualPatches(NodeOptions options, YamlNode node, string fileName) =>
        options with { VirtualPatches = Read(options, node, fileName, "virtual-patches", RequestRuleAction.Block) };

    public static NodeOptions ApplyAllowRules(NodeOptions options, YamlNode node, string fileName) =>
        options with { AllowRules = Read(options, node, fileName, "allow-rules", RequestRuleAction.Allow) };

    private static List<RequestRule> Read(NodeOptions options, YamlNode node, string fileName, string section, RequestRuleAction action)
    {
        var rules = new List<RequestRule>();
        var items = YamlMapping.Sequence(node, section, fileName);
        for (var i = 0; i < items.Count; i++)
        {
            var mapping = YamlMapping.Of(items[i], $"{section}[{i}]", fileName);
            var name = PolicyNames.Read(mapping, "name", required: true)!;
            if (rules.Exists(r => r.Name == name))
            {
                throw mapping.Error("name", $"a rule named '{name}' exists already in {section}");
            }

            var scope = RequestScopeYaml.Read(mapping, options.Routes);
            PointPattern? point = null;
            if (mapping.OptionalString("point") is { } pointText)
            {
                point = PointPattern.TryParse(pointText, out var error) ?? throw mapping.Error("point", error!);
            }

            var ignoreCase = mapping.OptionalBool("ignore-case") ?? false;
            ValueMatcher? value = null;
            foreach (var (key, kind) in Conditions)
            {
                if (mapping.OptionalString(key) is not { } pattern)
                {
                    continue;
                }

                if (value is not null)
                {
                    throw mapping.Error(key, "a rule has one value condition: equals, contains, glob or regex");
                }

                value = ValueMatcher.TryCreate(kind, pattern, ignoreCase, out var error) ?? throw mapping.Error(key, error!);
            }

            if (point is null && value is null && scope == RequestMatcher.Any)
            {
                throw mapping.Error("path", action == RequestRuleAction.Block
                    ? "a virtual patch needs a condition (route, host, path, methods, point or value): this one would block every request"
                    : "an allow rule needs a condition (route, host, path, methods, point or value): this one would turn detection off");
            }

            _ = mapping.OptionalString("reason");
            mapping.EnsureAllRead("route");
            rules.Add(new RequestRule(name, action, scope, point, value));
        }

        return rules;
    }
}
