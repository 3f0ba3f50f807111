namespace Palisade.Kubernetes.Injection;

/// <summary>The pod labels and annotations the injector reads and writes (all under <c>palisade.io/</c>).</summary>
public static class InjectionAnnotations
{
    public const string Prefix = "palisade.io/";

    /// <summary>Label (pod or namespace) that opts in with <c>enabled</c>; <c>disabled</c> opts out. Also read as a pod annotation to opt out.</summary>
    public const string Inject = Prefix + "inject";

    /// <summary>Written by the injector: <c>injected</c>.</summary>
    public const string Status = Prefix + "status";

    /// <summary>Written by the injector: a hash of the rendered sidecar, so a changed configuration is visible on the pod.</summary>
    public const string ConfigHash = Prefix + "config-hash";

    public const string Mode = Prefix + "mode";
    public const string ApplicationPort = Prefix + "application-port";
    public const string ListenPort = Prefix + "listen-port";
    public const string AdminPort = Prefix + "admin-port";
    public const string Capture = Prefix + "capture";
    public const string Image = Prefix + "image";
    public const string CpuRequest = Prefix + "cpu-request";
    public const string CpuLimit = Prefix + "cpu-limit";
    public const string MemoryRequest = Prefix + "memory-request";
    public const string MemoryLimit = Prefix + "memory-limit";
    public const string ConfigMap = Prefix + "config-map";
    public const string InspectionLimit = Prefix + "inspection-limit";
    public const string FailOpen = Prefix + "fail-open";
    public const string BlockStatus = Prefix + "block-status";
    public const string LogFormat = Prefix + "log-format";

    public const string Enabled = "enabled";
    public const string Disabled = "disabled";
    public const string Injected = "injected";
}
