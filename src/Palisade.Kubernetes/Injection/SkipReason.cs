namespace Palisade.Kubernetes.Injection;

/// <summary>Why a pod was left as it is; <see cref="SkipReasons.Code"/> is the machine-readable form logged and counted.</summary>
public enum SkipReason
{
    NamespaceExcluded,
    AlreadyInjected,
    DisabledByAnnotation,
    DisabledByLabel,
    NotOptedIn,
    HostNetwork,
    NoContainers,
}
