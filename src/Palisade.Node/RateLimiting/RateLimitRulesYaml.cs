using System.Globalization;
using Palisade.Node.Configuration;
using YamlDotNet.RepresentationModel;

namespace Palisade.Node.RateLimiting;

/// <summary>
/// Reads the <c>rate-limits</c> sequence of a policy file into rules. Every mistake is a
/// <see cref="ConfigurationException"/> whose key is <c>rate-limits[i].field</c> and whose origin is
/// <c>file:line</c> of the offending node:
/// <code>
/// rate-limits:
///   - name: login-bruteforce   # required, unique, [a-z0-9_-]
///     path: /login             # optional path prefix
///     methods: [POST]          # optional
///     host: shop.example.com   # optional
///     key: json:username       # ip (default) | header:NAME | cookie:NAME | json:a.b.c | jwt:CLAIM
///     kind: failures           # requests (default) | failures
///     statuses: [401, 403]     # failures only; default 401, 403
///     limit: 5                 # required, at least 1
///     window: 5m               # required
///     action: graylist         # reject (default) | graylist
///     graylist-for: 15m        # required with graylist
///     max-keys: 100000         # optional
/// </code>
/// </summary>
public static class RateLimitRulesYaml
{
    /// <summary>The key of the sequence in the policy file, and the prefix of error keys.</summary>
    public const string Key = "rate-limits";

    private static readonly string[] Fields =
        ["name", "path", "methods", "host", "key", "kind", "statuses", "limit", "window", "action", "graylist-for", "max-keys"];

    /// <summary>The rules of a <c>rate-limits</c> node (a sequence of mappings); an empty or null node has none.</summary>
    /// <exception cref="ConfigurationException">The node or one of its rules is invalid.</exception>
    public static IReadOnlyList<RateLimitRule> Read(YamlNode node, string fileName)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(fileName);
        if (node is YamlScalarNode { Value: null or "" or "~" or "null" } scalarNode && scalarNode.Style == YamlDotNet.Core.ScalarStyle.Plain)
        {
            return [];
        }

        if (node is not YamlSequenceNode sequence)
        {
            throw new ConfigurationException(Key, "expects a list of rules", Origin(fileName, node));
        }

        var rules = new List<RateLimitRule>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var rule = ReadRule(sequence.Children[i], i, fileName);
            if (!names.Add(rule.Name))
            {
                var nameNode = ((YamlMappingNode)sequence.Children[i]).Children[new YamlScalarNode("name")];
                throw new ConfigurationException(FieldKey(i, "name"), $"'{rule.Name}' is already the name of another rule", Origin(fileName, nameNode));
            }

            rules.Add(rule);
        }

        return rules;
    }

    private static RateLimitRule ReadRule(YamlNode item, int index, string fileName)
    {
        if (item is not YamlMappingNode mapping)
        {
            throw new ConfigurationException($"{Key}[{index}]", "a rule must be a mapping (name: ..., limit: ..., window: ...)", Origin(fileName, item));
        }

        var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var field = (keyNode as YamlScalarNode)?.Value ?? "";
            if (Array.IndexOf(Fields, field) < 0)
            {
                throw new ConfigurationException(FieldKey(index, field), $"unknown field; a rule has {string.Join(", ", Fields)}", Origin(fileName, keyNode));
            }

            // YamlStream refuses a mapping with a key given twice before this reads it.
            values[field] = valueNode;
        }

        var reader = new FieldReader(index, fileName, mapping, values);
        var name = reader.Required("name");
        if (!IsValidName(name))
        {
            throw reader.Error("name", $"'{name}' is not a valid name: use lower-case letters, digits, '_' and '-'");
        }

        var path = reader.Optional("path");
        if (path is not null && (path.Length == 0 || path[0] != '/'))
        {
            throw reader.Error("path", $"'{path}' is not a path prefix: it must start with '/'");
        }

        var host = reader.Optional("host");
        if (host is not null && (host.Length == 0 || host.AsSpan().ContainsAny(" /\t")))
        {
            throw reader.Error("host", $"'{host}' is not a host name");
        }

        var methods = reader.List("methods");
        for (var i = 0; i < methods.Count; i++)
        {
            if (methods[i].Length == 0 || !methods[i].All(char.IsAsciiLetter))
            {
                throw reader.Error("methods", $"'{methods[i]}' is not an HTTP method", reader.ItemNode("methods", i));
            }

            methods[i] = methods[i].ToUpperInvariant();
        }

        var key = reader.Parse("key", RateLimitKeySource.Parse) ?? RateLimitKeySource.Ip;
        var kind = reader.Parse("kind", text => text switch
        {
            "requests" => RateLimitKind.Requests,
            "failures" => RateLimitKind.Failures,
            _ => throw new FormatException($"'{text}' is not a kind: use requests or failures"),
        });
        var statuses = reader.List("statuses");
        if (statuses.Count > 0 && kind != RateLimitKind.Failures)
        {
            throw reader.Error("statuses", "only a rule of kind: failures counts statuses");
        }

        var statusCodes = new List<int>();
        for (var i = 0; i < statuses.Count; i++)
        {
            if (!int.TryParse(statuses[i], NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status is < 400 or > 599)
            {
                throw reader.Error("statuses", $"'{statuses[i]}' is not an error status (400 to 599)", reader.ItemNode("statuses", i));
            }

            statusCodes.Add(status);
        }

        var limit = reader.Required("limit", text => ParseCount(text, "limit"));
        var window = reader.Required("window", ParseDuration);
        var action = reader.Parse("action", text => text switch
        {
            "reject" => RateLimitAction.Reject,
            "graylist" => RateLimitAction.Graylist,
            _ => throw new FormatException($"'{text}' is not an action: use reject or graylist"),
        });
        TimeSpan? graylistFor = action == RateLimitAction.Graylist
            ? reader.Required("graylist-for", ParseDuration)
            : reader.Parse<TimeSpan?>("graylist-for", _ => throw new FormatException("only a rule with action: graylist graylists"));
        var maxKeys = reader.Parse<int?>("max-keys", text => ParseCount(text, "max-keys")) ?? RateLimitRule.DefaultMaxKeys;

        return new RateLimitRule
        {
            Name = name,
            PathPrefix = path,
            Methods = methods,
            Host = host,
            Key = key,
            Kind = kind,
            Statuses = statusCodes.Count > 0 ? statusCodes : RateLimitRule.DefaultFailureStatuses,
            Limit = limit,
            Window = window,
            Action = action,
            GraylistFor = graylistFor ?? TimeSpan.Zero,
            MaxKeys = maxKeys,
        };
    }

    private static int ParseCount(string text, string field)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            throw new FormatException($"'{text}' is not a whole number of at least 1 for {field}");
        }

        return value;
    }

    private static TimeSpan ParseDuration(string text)
    {
        var value = Duration.Parse(text);
        if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(1))
        {
            throw new FormatException($"'{text}' must be above zero and at most 24h");
        }

        return value;
    }

    private static bool IsValidName(string name)
    {
        if (name.Length is 0 or > 64)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static string FieldKey(int index, string field) => $"{Key}[{index}].{field}";

    private static string Origin(string fileName, YamlNode node) =>
        string.Create(CultureInfo.InvariantCulture, $"{fileName}:{node.Start.Line}");

    /// <summary>Reads the fields of one rule, turning every mistake into an error at the right node.</summary>
    private sealed class FieldReader(int index, string fileName, YamlMappingNode mapping, Dictionary<string, YamlNode> values)
    {
        public ConfigurationException Error(string field, string message, YamlNode? node = null) =>
            new(FieldKey(index, field), message, Origin(fileName, node ?? values.GetValueOrDefault(field) ?? mapping));

        public string? Optional(string field)
        {
            if (!values.TryGetValue(field, out var node))
            {
                return null;
            }

            return node is YamlScalarNode scalar
                ? (scalar.Value ?? "").Trim()
                : throw Error(field, "expects a single value, not a list or mapping");
        }

        public string Required(string field) =>
            Optional(field) is { Length: > 0 } value ? value : throw Error(field, values.ContainsKey(field) ? "must not be empty" : "is required");

        public T Required<T>(string field, Func<string, T> parse) => Convert(field, Required(field), parse);

        public T? Parse<T>(string field, Func<string, T> parse) =>
            Optional(field) is { } text ? Convert(field, text, parse) : default;

        public List<string> List(string field)
        {
            if (!values.TryGetValue(field, out var node))
            {
                return [];
            }

            if (node is YamlScalarNode scalar)
            {
                // "methods: POST" or "methods: GET, POST" are lists of one or more, as elsewhere in the configuration.
                return (scalar.Value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
            }

            if (node is not YamlSequenceNode sequence)
            {
                throw Error(field, "expects a list, not a mapping");
            }

            var items = new List<string>();
            foreach (var item in sequence.Children)
            {
                items.Add(item is YamlScalarNode s ? (s.Value ?? "").Trim() : throw Error(field, "list items must be plain values", item));
            }

            return items;
        }

        public YamlNode ItemNode(string field, int i) =>
            values[field] is YamlSequenceNode sequence && i < sequence.Children.Count ? sequence.Children[i] : values[field];

        private T Convert<T>(string field, string text, Func<string, T> parse)
        {
            try
            {
                return parse(text);
            }
            catch (FormatException e)
            {
                throw Error(field, e.Message);
            }
            catch (OverflowException)
            {
                throw Error(field, $"'{text}' is out of range");
            }
        }
    }
}
