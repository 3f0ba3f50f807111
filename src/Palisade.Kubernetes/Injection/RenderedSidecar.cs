using k8s.Models;

namespace Palisade.Kubernetes.Injection;

/// <summary>What injection adds to a pod: the node's container, the capture init container, their volumes.</summary>
public sealed record RenderedSidecar(V1Container Node, V1Container? Iptables, IReadOnlyList<V1Volume> Volumes);
