using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Palisade.Node.Configuration;

/// <summary>
/// Reads one YAML mapping of a configuration section (a route, an exclusion): typed fields by name, every error a
/// <see cref="ConfigurationException"/> naming the field's path and line, and <see cref="EnsureAllRead"/> to
/// refuse keys nobody asked for (a misspelt key is an error, never silently ignored).
/// </summary>
public sealed class YamlMapping
{
    private readonly YamlMappingNode _node;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private YamlMapping(YamlMappingNode node, string path, string fileName)
    {
        _node = node;
        Path = path;
        FileName = fileName;
    }

    /// <summary>Where the mapping sits: <c>routes[2]</c>.</summary>
    public string Path { get; }

    public string FileName { get; }

    public string Origin => OriginOf(_node);

    public static YamlMapping Of(YamlNode node, string path, string fileName) =>
        node is YamlMappingNode mapping
            ? new YamlMapping(mapping, path, fileName)
            : throw new ConfigurationException(path, "expects a mapping of keys to values", $"{fileName}:{node.Start.Line}");

    /// <summary>The items of a section that must be a list.</summary>
    public static IReadOnlyList<YamlNode> Sequence(YamlNode node, string key, string fileName) => node switch
    {
        YamlSequenceNode sequence => sequence.Children.ToList(),
        YamlScalarNode { Value: null or "" } => [],
        _ => throw new ConfigurationException(key, "expects a list", $"{fileName}:{node.Start.Line}"),
    };

    public string? OptionalString(string key)
    {
        if (!TryGet(key, out var node))
        {
            return null;
        }

        return node is YamlScalarNode scalar
            ? scalar.Value
            : throw Error(key, "expects a single value", node);
    }

    public string RequiredString(string key) =>
        OptionalString(key) is { Length: > 0 } value ? value : throw Error(key, "is required", _node);

    public IReadOnlyList<string>? OptionalList(string key)
    {
        if (!TryGet(key, out var node))
        {
            return null;
        }

        return node switch
        {
            YamlScalarNode scalar => [scalar.Value ?? ""],
            YamlSequenceNode sequence => sequence.Children
                .Select(item => item is YamlScalarNode s ? s.Value ?? "" : throw Error(key, "list items must be plain values", item))
                .ToList(),
            _ => throw Error(key, "expects a value or a list of values", node),
        };
    }

    public bool? OptionalBool(string key) => OptionalString(key) switch
    {
        null => null,
        var text => Parse(key, text, NodeSetting.ParseBool),
    };

    public int? OptionalInt(string key, int min, int max) => OptionalString(key) switch
    {
        null => null,
        var text => Parse(key, text, t => NodeSetting.ParseInt(t, min, max)),
    };

    /// <summary>Parses a field's text with <paramref name="parse"/>, whose exceptions become errors naming the field and line.</summary>
    public T Parse<T>(string key, string text, Func<string, T> parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            return parse(text);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or ConfigurationException)
        {
            var message = e is ConfigurationException c && c.Message.IndexOf(": ", StringComparison.Ordinal) is var colon and >= 0 ? c.Message[(colon + 2)..] : e.Message;
            throw Error(key, message, TryGet(key, out var node) ? node : _node);
        }
    }

    public ConfigurationException Error(string key, string message) =>
        Error(key, message, TryGet(key, out var node) ? node : _node);

    /// <summary>Fails on the first key that no reader asked for.</summary>
    public void EnsureAllRead(params string[] allowed)
    {
        foreach (var (keyNode, _) in _node.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!_read.Contains(key) && Array.IndexOf(allowed, key) < 0)
            {
                throw new ConfigurationException($"{Path}.{key}", "unknown key", OriginOf(keyNode));
            }
        }
    }

    public bool Has(string key) => _node.Children.ContainsKey(new YamlScalarNode(key));

    private bool TryGet(string key, out YamlNode node)
    {
        _read.Add(key);
        return _node.Children.TryGetValue(new YamlScalarNode(key), out node!);
    }

    private ConfigurationException Error(string key, string message, YamlNode at) =>
        new($"{Path}.{key}", message, OriginOf(at));

    private string OriginOf(YamlNode node) => string.Create(CultureInfo.InvariantCulture, $"{FileName}:{node.Start.Line}");
}
