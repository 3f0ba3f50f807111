namespace Palisade.Kubernetes.Injection;

/// <summary>Everything the sidecar is rendered from: the options' defaults with the pod's annotations applied, validated.</summary>
public sealed record SidecarSettings
{
    public required string Image { get; init; }

    public required string ImagePullPolicy { get; init; }

    public required string Mode { get; init; }

    public required CaptureMode Capture { get; init; }

    public required int ApplicationPort { get; init; }

    public required int ListenPort { get; init; }

    public required int AdminPort { get; init; }

    public required string CpuRequest { get; init; }

    public string? CpuLimit { get; init; }

    public required string MemoryRequest { get; init; }

    public string? MemoryLimit { get; init; }

    /// <summary>A ConfigMap holding <c>palisade.yaml</c>, mounted read-only.</summary>
    public string? ConfigMap { get; init; }

    /// <summary>Body bytes the node inspects (from a quantity such as <c>1Mi</c>).</summary>
    public long? InspectionLimit { get; init; }

    public bool? FailOpen { get; init; }

    public int? BlockStatus { get; init; }

    public string? LogFormat { get; init; }

    public required bool NativeSidecar { get; init; }

    public required long RunAsUser { get; init; }

    public required long PreStopSleepSeconds { get; init; }
}
