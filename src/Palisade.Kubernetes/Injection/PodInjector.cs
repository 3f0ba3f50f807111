using System.Text.Json.Nodes;
using k8s.Models;
using Palisade.Kubernetes.Models;
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
        var basis = pod;
        var refresh = false;
        if (decision.Reason == SkipReason.AlreadyInjected && WithoutSidecar(pod) is { } stripped
            && InjectionDecider.Decide(stripped, podNamespace, namespaceOptedIn, options).Inject)
        {
            // Injected before: rendered again from the pod as it would be without the sidecar, so a changed annotation
            // or injector default replaces the old sidecar; an unchanged rendering leaves the pod alone below.
            (basis, refresh, decision) = (stripped, true, InjectionDecision.Yes);
        }

        if (!decision.Inject)
        {
            return new InjectionResult { Outcome = InjectionOutcome.Skipped, SkipReason = decision.Reason };
        }

        var settings = SidecarSettingsReader.Read(basis, options, out var errors);
        if (settings is null)
        {
            return new InjectionResult { Outcome = InjectionOutcome.Denied, Errors = errors };
        }

        var sidecar = SidecarRenderer.Render(settings);
        if (refresh && pod.Metadata?.Annotations?.TryGetValue(InjectionAnnotations.ConfigHash, out var hash) == true && hash == ConfigHash.Of(sidecar))
        {
            return new InjectionResult { Outcome = InjectionOutcome.Skipped, SkipReason = SkipReason.AlreadyInjected };
        }

        var mutated = Mutate(basis, sidecar, settings);
        var patch = JsonPatchDiff.Create(ToJson(pod), ToJson(mutated));
        return new InjectionResult { Outcome = InjectionOutcome.Injected, Patch = patch, Pod = mutated, Updated = refresh };
    }

    // The pod as it was before an earlier injection: its containers, volumes and annotations without ours. Only for a
    // pod the injector marked; a container that merely shares a name is the application's.
    private static V1Pod? WithoutSidecar(V1Pod pod)
    {
        if (pod.Metadata?.Annotations?.TryGetValue(InjectionAnnotations.Status, out var status) != true || status != InjectionAnnotations.Injected)
        {
            return null;
        }

        var stripped = ModelJson.Deserialize(ModelJson.Serialize(pod));
        static bool Ours(V1Container c) => c.Name is SidecarRenderer.NodeContainerName or SidecarRenderer.IptablesContainerName;
        stripped.Spec.Containers = stripped.Spec.Containers?.Where(c => !Ours(c)).ToList();
        stripped.Spec.InitContainers = stripped.Spec.InitContainers?.Where(c => !Ours(c)).ToList() is { Count: > 0 } init ? init : null;
        stripped.Spec.Volumes = stripped.Spec.Volumes?.Where(v => v.Name is not (SidecarRenderer.ConfigVolumeName or SidecarRenderer.XtablesVolumeName or SidecarRenderer.DataVolumeName)).ToList() is { Count: > 0 } volumes ? volumes : null;
        stripped.Metadata.Annotations.Remove(InjectionAnnotations.Status);
        stripped.Metadata.Annotations.Remove(InjectionAnnotations.ConfigHash);
        return stripped;
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
