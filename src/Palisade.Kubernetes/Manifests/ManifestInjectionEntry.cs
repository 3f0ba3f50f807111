using Palisade.Kubernetes.Injection;

namespace Palisade.Kubernetes.Manifests;

/// <summary>One workload of a manifest (<c>deployment/web</c>) and what injecting its pod template came to.</summary>
public sealed record ManifestInjectionEntry(string Workload, InjectionResult Result);
