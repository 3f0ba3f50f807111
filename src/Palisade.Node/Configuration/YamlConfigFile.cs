using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Palisade.Node.Configuration;

/// <summary>
/// Reads <c>palisade.yaml</c>: a mapping of option keys to scalars or sequences, and of section keys
/// (<see cref="NodeSections"/>) to their structures. Unknown keys, misplaced mappings and YAML syntax errors are
/// errors that name the file and line.
/// </summary>
public static class YamlConfigFile
{
    public static ConfigurationFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException("config", $"cannot read '{path}': {e.Message}");
        }

        return Parse(text, Path.GetFileName(path));
    }

    public static ConfigurationFile Parse(string text, string fileName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConfigurationException("config", $"{fileName}:{e.Start.Line}: {e.InnerException?.Message ?? e.Message}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return ConfigurationFile.Empty;
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ConfigurationException("config", $"{fileName}:{stream.Documents[0].RootNode.Start.Line}: the file must be a mapping of option keys to values");
        }

        var values = new List<ConfigurationValue>();
        var sections = new List<ConfigurationSection>();
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var origin = $"{fileName}:{keyNode.Start.Line}";
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (NodeSections.Find(key) is { } section)
            {
                sections.Add(new ConfigurationSection(section.Key, valueNode, fileName));
                continue;
            }

            var setting = NodeSettings.Find(key)
                ?? throw new ConfigurationException(key, "unknown option; see 'palisade node --help' for the valid keys", origin);
            values.Add(new ConfigurationValue(setting.Key, ReadValues(setting, valueNode, origin), origin));
        }

        return new ConfigurationFile(values, sections);
    }

    private static List<string> ReadValues(NodeSetting setting, YamlNode node, string origin) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? ""],
        YamlSequenceNode sequence when setting.Kind == SettingKind.List => sequence.Children
            .Select(item => item is YamlScalarNode s ? s.Value ?? "" : throw new ConfigurationException(setting.Key, "list items must be plain values", $"{origin[..origin.LastIndexOf(':')]}:{item.Start.Line}"))
            .ToList(),
        YamlSequenceNode => throw new ConfigurationException(setting.Key, "expects a single value, not a list", origin),
        _ => throw new ConfigurationException(setting.Key, "expects a value, not a mapping", origin),
    };
}
