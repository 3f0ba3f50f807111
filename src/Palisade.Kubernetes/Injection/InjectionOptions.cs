namespace Palisade.Kubernetes.Injection;

/// <summary>
/// The injector's own configuration: the defaults every injected pod starts from (its annotations override them)
/// and which namespaces are never touched. The webhook and <c>palisade inject</c> share it.
/// </summary>
public sealed record InjectionOptions
{
    public string Image { get; init; } = "ghcr.io/palisade-waf/palisade:0.1.0";

    public string ImagePullPolicy { get; init; } = "IfNotPresent";

    public string Mode { get; init; } = "monitoring";

    public CaptureMode Capture { get; init; } = CaptureMode.Iptables;

    /// <summary>The application port when neither an annotation nor a container port names one.</summary>
    public int DefaultApplicationPort { get; init; } = 8080;

    public int ListenPort { get; init; } = 9900;

    public int AdminPort { get; init; } = 9901;

    public string CpuRequest { get; init; } = "50m";

    public string? CpuLimit { get; init; }

    public string MemoryRequest { get; init; } = "64Mi";

    public string MemoryLimit { get; init; } = "256Mi";

    /// <summary>
    /// True: the node is a native sidecar (an init container with <c>restartPolicy: Always</c>, Kubernetes 1.29+), so it
    /// starts before the application and stops after it. False: a plain container, for older clusters.
    /// </summary>
    public bool NativeSidecar { get; init; } = true;

    /// <summary>The namespace the injector runs in: never injected.</summary>
    public string ControllerNamespace { get; init; } = "palisade-system";

    /// <summary>Namespaces never injected besides <c>kube-system</c> and the controller's.</summary>
    public IReadOnlyList<string> ExcludedNamespaces { get; init; } = [];

    /// <summary>Whether a namespace labelled <c>palisade.io/inject: enabled</c> opts in all its pods.</summary>
    public bool NamespaceOptIn { get; init; } = true;

    /// <summary>The user the sidecar runs as (non-root).</summary>
    public long RunAsUser { get; init; } = 65532;

    /// <summary>Seconds the sidecar keeps serving after termination starts, while endpoints are updated.</summary>
    public long PreStopSleepSeconds { get; init; } = 5;
}
