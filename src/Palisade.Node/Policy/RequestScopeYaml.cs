using Palisade.Detection.Rules;
using Palisade.Node.Configuration;

namespace Palisade.Node.Policy;

/// <summary>
/// Reads which requests a route or rule applies to: <c>host</c>, <c>path</c> (with <c>path-match</c>: prefix,
/// exact or glob, and <c>case-sensitive</c>) and <c>methods</c>; a rule may name a <c>route</c> instead.
/// </summary>
internal static class RequestScopeYaml
{
    public static readonly string[] Keys = ["host", "path", "path-match", "case-sensitive", "methods"];

    public static RequestMatcher Read(YamlMapping mapping, IReadOnlyList<RouteDefinition>? routes)
    {
        if (routes is not null && mapping.OptionalString("route") is { } routeName)
        {
            foreach (var key in Keys)
            {
                if (mapping.Has(key))
                {
                    throw mapping.Error(key, "cannot be combined with route: a rule applies to a route or has its own host, path and methods");
                }
            }

            foreach (var route in routes)
            {
                if (route.Name == routeName)
                {
                    return route.Match with { Route = routeName };
                }
            }

            throw mapping.Error("route", $"no route is named '{routeName}'");
        }

        var caseSensitive = mapping.OptionalBool("case-sensitive") ?? true;
        var kind = mapping.OptionalString("path-match") switch
        {
            null or "prefix" => PathMatchKind.Prefix,
            "exact" => PathMatchKind.Exact,
            "glob" => PathMatchKind.Glob,
            var other => throw mapping.Error("path-match", $"'{other}' is not a path match: use prefix, exact or glob"),
        };

        PathPattern? path = null;
        if (mapping.OptionalString("path") is { } pathText)
        {
            path = PathPattern.TryCreate(pathText, kind, caseSensitive, out var error) ?? throw mapping.Error("path", error!);
        }
        else if (mapping.Has("path-match"))
        {
            throw mapping.Error("path-match", "needs a path");
        }

        HostPattern? host = null;
        if (mapping.OptionalString("host") is { } hostText)
        {
            host = HostPattern.TryCreate(hostText, out var error) ?? throw mapping.Error("host", error!);
        }

        HashSet<string>? methods = null;
        if (mapping.OptionalList("methods") is { } methodList)
        {
            // Compared ignoring case: a client's "post" must not slip past a POST rule on an application that reads
            // methods without case (ASP.NET Core's routing does).
            methods = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var method in methodList)
            {
                if (method.Length == 0 || !method.All(char.IsAsciiLetterUpper))
                {
                    throw mapping.Error("methods", $"'{method}' is not a method: write it in capitals (GET, POST)");
                }

                methods.Add(method);
            }
        }

        return host is null && path is null && methods is null ? RequestMatcher.Any : new RequestMatcher(host, path, methods);
    }
}
