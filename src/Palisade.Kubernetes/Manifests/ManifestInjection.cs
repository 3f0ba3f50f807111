using Palisade.Kubernetes.Injection;

namespace Palisade.Kubernetes.Manifests;

/// <summary>The injected manifest and, for each workload met, what injection came to.</summary>
public sealed record ManifestInjection(string Yaml, IReadOnlyList<ManifestInjectionEntry> Workloads)
{
    public bool Denied => Workloads.Any(w => w.Result.Outcome == InjectionOutcome.Denied);
}
