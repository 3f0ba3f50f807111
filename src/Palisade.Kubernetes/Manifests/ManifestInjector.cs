using System.Text.Json.Nodes;
using k8s.Models;
using Palisade.Kubernetes.Injection;
using Palisade.Kubernetes.Models;
using Palisade.Kubernetes.Patching;

namespace Palisade.Kubernetes.Manifests;

/// <summary>
/// <c>palisade inject</c>: the webhook's mutation applied offline to every pod template of a multi-document manifest
/// (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, and the items of a
/// List). The patch <see cref="PodInjector"/> computes is applied to the template as written, so fields the typed
/// models do not know survive; documents that are not injected come out as they were written.
/// </summary>
public static class ManifestInjector
{
    public static ManifestInjection Inject(string yaml, InjectionOptions options, bool injectAll)
    {
        ArgumentNullException.ThrowIfNull(options);
        var output = new List<string>();
        var results = new List<ManifestInjectionEntry>();
        foreach (var document in ManifestReader.Read(yaml))
        {
            if (document.Json is not JsonObject root)
            {
                if (document.Json is not null)
                {
                    output.Add(document.Text);
                }

                continue;
            }

            var changed = InjectObject(root, options, injectAll, results, document.Line);
            output.Add(changed ? JsonToYaml.Write(root) : document.Text);
        }

        return new ManifestInjection(JsonToYaml.Join(output), results);
    }

    private static bool InjectObject(JsonObject obj, InjectionOptions options, bool injectAll, List<ManifestInjectionEntry> results, int line)
    {
        var apiVersion = Text(obj, "apiVersion");
        var kind = Text(obj, "kind");
        if (apiVersion == "v1" && kind == "List" && obj["items"] is JsonArray items)
        {
            var any = false;
            foreach (var item in items)
            {
                any |= item is JsonObject child && InjectObject(child, options, injectAll, results, line);
            }

            return any;
        }

        var path = WorkloadTemplates.PathOf(apiVersion, kind);
        if (path is null)
        {
            return false;
        }

        var template = WorkloadTemplates.Find(obj, path);
        var name = $"{kind?.ToLowerInvariant()}/{Text(obj["metadata"] as JsonObject, "name") ?? "(unnamed)"}";
        if (template is null)
        {
            throw new ManifestException($"{name} (document at line {line}): no pod template at {string.Join('.', path)}");
        }

        var namespaceName = Text(obj["metadata"] as JsonObject, "namespace");
        V1Pod pod;
        try
        {
            pod = ModelJson.Deserialize(new JsonObject { ["metadata"] = template["metadata"]?.DeepClone(), ["spec"] = template["spec"]?.DeepClone() });
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new ManifestException($"{name} (document at line {line}): the pod template is not a valid pod: {e.Message}", e);
        }

        var result = PodInjector.Inject(pod, namespaceName, injectAll, options);
        results.Add(new ManifestInjectionEntry(name, result));
        if (result.Outcome != InjectionOutcome.Injected)
        {
            return false;
        }

        JsonPatchApplier.Apply(template, result.Patch);
        return true;
    }

    private static string? Text(JsonObject? obj, string name) =>
        obj is not null && obj.TryGetPropertyValue(name, out var value) && value is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
}
