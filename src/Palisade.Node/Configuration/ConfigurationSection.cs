using YamlDotNet.RepresentationModel;

namespace Palisade.Node.Configuration;

/// <summary>A section as read from the file, waiting to be applied: its key, its YAML node and the file's name.</summary>
public sealed record ConfigurationSection(string Key, YamlNode Node, string FileName);
