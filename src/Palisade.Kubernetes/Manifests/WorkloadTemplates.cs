using System.Text.Json.Nodes;

namespace Palisade.Kubernetes.Manifests;

/// <summary>Where a workload keeps the pod it creates: the path of its pod template, by kind.</summary>
public static class WorkloadTemplates
{
    /// <summary>The template's JSON path, <c>[]</c> for a Pod itself, or null for a kind that creates no pods.</summary>
    public static string[]? PathOf(string? apiVersion, string? kind) => (Group(apiVersion), kind) switch
    {
        ("", "Pod") => [],
        ("apps", "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet") => ["spec", "template"],
        ("", "ReplicationController") => ["spec", "template"],
        ("batch", "Job") => ["spec", "template"],
        ("batch", "CronJob") => ["spec", "jobTemplate", "spec", "template"],
        _ => null,
    };

    public static JsonObject? Find(JsonObject document, string[] path)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(path);
        JsonNode? node = document;
        foreach (var name in path)
        {
            node = node is JsonObject obj && obj.TryGetPropertyValue(name, out var child) ? child : null;
        }

        return node as JsonObject;
    }

    private static string? Group(string? apiVersion) => apiVersion switch
    {
        null => null,
        _ when apiVersion.Contains('/', StringComparison.Ordinal) => apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)],
        _ => "",
    };
}
