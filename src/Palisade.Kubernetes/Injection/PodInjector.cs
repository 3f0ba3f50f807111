using System.Text.Json.Nodes;
using Palisade.Kubernetes.Models;
using k8s.Models;
using Palisade.Kubernetes.Patching;

namespace Palisade.Kubernetes.Injection;

/// <summary>
/// The whole mutation, pure: decide, read the annotations, render the sidecar, add it to a copy of the pod, and diff
/// the two into the JSON patch. The admission webhook returns that patch; <c>palisade inject</c> applies it to a
/// workload's pod template. Both therefore produce the same pod.
/// </summary>
public static class PodInjector
{
    private const string DefaultContainerAnnotation = "kubectl.kubernetes.io/default-container";

    public static InjectionResult Inject(V1Pod pod, string? podNamespace, bool namespaceOptedIn, InjectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(options);

        var decision = InjectionDecider.Decide(pod, podNamespace, namespaceOptedIn, options);
        if (!decision.Inject)
        {
            return new InjectionResult { Outcome = InjectionOutcome.Skipped, SkipReason = decision.Reason };
        }

        var settings = SidecarSettingsReader.Read(pod, options, out var errors);
        if (settings is null)
        {
            return new InjectionResult { Outcome = InjectionOutcome.Denied, Errors = errors };
        }

        var sidecar = SidecarRenderer.Render(settings);
        var mutated = Mutate(pod, sidecar, settings);
        var patch = JsonPatchDiff.Create(ToJson(pod), ToJson(mutated));
        return new InjectionResult { Outcome = InjectionOutcome.Injected, Patch = patch, Pod = mutated };
    }

    internal static JsonNode ToJson(V1Pod pod) => ModelJson.NameFirst(JsonNode.Parse(ModelJson.Serialize(pod))!);

    private static V1Pod Mutate(V1Pod original, RenderedSidecar sidecar, SidecarSettings settings)
    {
        var pod = ModelJson.Deserialize(ModelJson.Serialize(original));
        pod.Metadata ??= new V1ObjectMeta();
        pod.Spec ??= new V1PodSpec();
        var firstApplication = pod.Spec.Containers?.FirstOrDefault()?.Name;

        // In front of the application's own init containers: the redirect and the node are in place before anything
        // of the application runs.
        var init = new List<V1Container>();
        if (sidecar.Iptables is not null)
        {
            init.Add(sidecar.Iptables);
        }

        if (settings.NativeSidecar)
        {
            init.Add(sidecar.Node);
        }
        else
        {
            pod.Spec.Containers = [.. pod.Spec.Containers ?? [], sidecar.Node];
        }

        if (init.Count > 0)
        {
            pod.Spec.InitContainers = [.. init, .. pod.Spec.InitContainers ?? []];
        }

        if (sidecar.Volumes.Count > 0)
        {
            pod.Spec.Volumes = [.. pod.Spec.Volumes ?? [], .. sidecar.Volumes];
        }

        var annotations = pod.Metadata.Annotations ?? new Dictionary<string, string>();
        annotations[InjectionAnnotations.Status] = InjectionAnnotations.Injected;
        annotations[InjectionAnnotations.ConfigHash] = ConfigHash.Of(sidecar);
        if (!settings.NativeSidecar && firstApplication is not null && !annotations.ContainsKey(DefaultContainerAnnotation))
        {
            // kubectl logs/exec keep going to the application, not to the container added after it.
            annotations[DefaultContainerAnnotation] = firstApplication;
        }

        pod.Metadata.Annotations = annotations;
        return pod;
    }
}
