using k8s.Models;

namespace Palisade.Kubernetes.Injection;

/// <summary>
/// Decides whether a pod gets the sidecar. Opt-in: the pod's label <c>palisade.io/inject: enabled</c>, or its
/// namespace's (when the caller knows the namespace opted in and the options allow it). An opt-out by label or
/// annotation always wins; excluded namespaces, pods already injected and host-network pods are never touched.
/// </summary>
public static class InjectionDecider
{
    private const string KubeSystem = "kube-system";

    public static InjectionDecision Decide(V1Pod pod, string? podNamespace, bool namespaceOptedIn, InjectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(options);

        var ns = string.IsNullOrEmpty(podNamespace) ? pod.Metadata?.NamespaceProperty : podNamespace;
        if (ns is not null && (ns == KubeSystem || ns == options.ControllerNamespace || options.ExcludedNamespaces.Contains(ns)))
        {
            return InjectionDecision.Skip(SkipReason.NamespaceExcluded);
        }

        if (IsInjected(pod))
        {
            return InjectionDecision.Skip(SkipReason.AlreadyInjected);
        }

        var label = Lookup(pod.Metadata?.Labels, InjectionAnnotations.Inject);
        if (label == InjectionAnnotations.Disabled)
        {
            return InjectionDecision.Skip(SkipReason.DisabledByLabel);
        }

        var annotation = Lookup(pod.Metadata?.Annotations, InjectionAnnotations.Inject);
        if (annotation is InjectionAnnotations.Disabled or "false")
        {
            return InjectionDecision.Skip(SkipReason.DisabledByAnnotation);
        }

        if (label != InjectionAnnotations.Enabled && !(namespaceOptedIn && options.NamespaceOptIn))
        {
            return InjectionDecision.Skip(SkipReason.NotOptedIn);
        }

        if (pod.Spec?.HostNetwork == true)
        {
            return InjectionDecision.Skip(SkipReason.HostNetwork);
        }

        if (pod.Spec?.Containers is not { Count: > 0 })
        {
            return InjectionDecision.Skip(SkipReason.NoContainers);
        }

        return InjectionDecision.Yes;
    }

    /// <summary>The status annotation, or any container named like the sidecar: injecting twice must change nothing.</summary>
    public static bool IsInjected(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (Lookup(pod.Metadata?.Annotations, InjectionAnnotations.Status) == InjectionAnnotations.Injected)
        {
            return true;
        }

        return HasSidecarName(pod.Spec?.Containers) || HasSidecarName(pod.Spec?.InitContainers);
    }

    private static bool HasSidecarName(IList<V1Container>? containers) =>
        containers is not null && containers.Any(c => c.Name is SidecarRenderer.NodeContainerName or SidecarRenderer.IptablesContainerName);

    private static string? Lookup(IDictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value) ? value : null;
}
