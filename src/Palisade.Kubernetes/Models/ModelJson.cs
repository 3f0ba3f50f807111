using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Palisade.Kubernetes.Models;

/// <summary>Kubernetes JSON (camelCase, nulls left out, Kubernetes date formats) for the models of <see cref="ModelJsonContext"/>.</summary>
internal static class ModelJson
{
    public static string Serialize(V1Pod pod) => JsonSerializer.Serialize(pod, ModelJsonContext.Default.V1Pod);

    public static string Serialize(V1Container container) => JsonSerializer.Serialize(container, ModelJsonContext.Default.V1Container);

    public static string Serialize(V1Volume volume) => JsonSerializer.Serialize(volume, ModelJsonContext.Default.V1Volume);

    /// <summary>Any model the context knows, as a JSON tree (for manifests put together from several objects).</summary>
    public static JsonObject ToNode(object model) =>
        NameFirst(JsonSerializer.SerializeToNode(model, model.GetType(), ModelJsonContext.Default) ?? throw new JsonException("a model serialized to null")).AsObject();

    /// <summary>A JSON object as the model type the context knows.</summary>
    public static T FromNode<T>(JsonNode json) =>
        (T)(json.Deserialize(typeof(T), ModelJsonContext.Default) ?? throw new JsonException($"the document is null, not a {typeof(T).Name}"));

    public static V1Pod Deserialize(string json) => JsonSerializer.Deserialize(json, ModelJsonContext.Default.V1Pod)
        ?? throw new JsonException("the document is null, not a pod");

    public static V1Pod Deserialize(JsonNode json) => json.Deserialize(ModelJsonContext.Default.V1Pod)
        ?? throw new JsonException("the document is null, not a pod");

    // The typed models serialize members alphabetically; a container, volume or variable reads better with its
    // name first, as people write them. Member order means nothing to the API (nor to the patch's equality).
    public static JsonNode NameFirst(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj.ContainsKey("name") && obj.First().Key != "name")
                {
                    var name = obj["name"];
                    obj.Remove("name");
                    var rest = obj.ToList();
                    obj.Clear();
                    obj["name"] = name;
                    foreach (var (key, value) in rest)
                    {
                        obj[key] = value;
                    }
                }

                foreach (var (_, value) in obj.ToList())
                {
                    if (value is not null)
                    {
                        NameFirst(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        NameFirst(item);
                    }
                }

                break;
        }

        return node;
    }
}
