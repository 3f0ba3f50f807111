using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Palisade.Kubernetes.Manifests;

/// <summary>
/// A YAML node as the JSON the Kubernetes API reads (plain scalars resolved as <see cref="YamlScalars"/> says).
/// Duplicate keys never get here: the YAML reader refuses them.
/// </summary>
public static class YamlToJson
{
    private const string StringTag = "tag:yaml.org,2002:str";

    public static JsonNode? Convert(YamlNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw new ManifestException($"line {key.Start.Line}: a mapping key must be a plain value");
                    }

                    obj[name] = Convert(value);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                {
                    array.Add(Convert(item));
                }

                return array;
            case YamlScalarNode scalar:
                // Quoted and block scalars, and plain ones tagged !!str, are strings; other plain ones are resolved.
                var text = scalar.Value ?? "";
                var isString = scalar.Style != ScalarStyle.Plain || (!scalar.Tag.IsEmpty && scalar.Tag.Value == StringTag);
                return isString ? JsonValue.Create(text) : YamlScalars.Resolve(text);
            default:
                throw new ManifestException($"line {node.Start.Line}: unsupported YAML node");
        }
    }
}
