using k8s.Models;
using Palisade.Kubernetes.Patching;

namespace Palisade.Kubernetes.Injection;

/// <summary>What injecting one pod came to: the patch and the mutated pod, a skip reason, or the annotation errors.</summary>
public sealed record InjectionResult
{
    public required InjectionOutcome Outcome { get; init; }

    public SkipReason? SkipReason { get; init; }

    public IReadOnlyList<AnnotationError> Errors { get; init; } = [];

    public IReadOnlyList<JsonPatchOperation> Patch { get; init; } = [];

    public V1Pod? Pod { get; init; }

    /// <summary>The pod was injected before and its sidecar is replaced by a new rendering (a setting changed).</summary>
    public bool Updated { get; init; }

    /// <summary>One line for logs and the admission response: <c>injected</c>, <c>skipped: host-network</c>, the errors.</summary>
    public string Describe() => Outcome switch
    {
        InjectionOutcome.Injected => Updated ? "injected (the sidecar re-rendered: its settings changed)" : "injected",
        InjectionOutcome.Skipped => "skipped: " + SkipReason!.Value.Code(),
        _ => "palisade: invalid annotations: " + string.Join("; ", Errors),
    };
}
