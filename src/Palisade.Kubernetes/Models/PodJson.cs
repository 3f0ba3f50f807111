using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Palisade.Kubernetes.Models;

/// <summary>Kubernetes JSON (camelCase, nulls left out, Kubernetes date formats) for pods and their parts.</summary>
internal static class PodJson
{
    public static string Serialize(V1Pod pod) => JsonSerializer.Serialize(pod, PodJsonContext.Default.V1Pod);

    public static string Serialize(V1Container container) => JsonSerializer.Serialize(container, PodJsonContext.Default.V1Container);

    public static string Serialize(V1Volume volume) => JsonSerializer.Serialize(volume, PodJsonContext.Default.V1Volume);

    public static V1Pod Deserialize(string json) => JsonSerializer.Deserialize(json, PodJsonContext.Default.V1Pod)
        ?? throw new JsonException("the document is null, not a pod");

    public static V1Pod Deserialize(JsonNode json) => json.Deserialize(PodJsonContext.Default.V1Pod)
        ?? throw new JsonException("the document is null, not a pod");
}
