namespace Palisade.Kubernetes.Injection;

public static class SkipReasons
{
    /// <summary>The reason as logs, metrics labels and the admission response carry it: <c>already-injected</c>.</summary>
    public static string Code(this SkipReason reason) => reason switch
    {
        SkipReason.NamespaceExcluded => "namespace-excluded",
        SkipReason.AlreadyInjected => "already-injected",
        SkipReason.DisabledByAnnotation => "disabled-by-annotation",
        SkipReason.DisabledByLabel => "disabled-by-label",
        SkipReason.NotOptedIn => "not-opted-in",
        SkipReason.HostNetwork => "host-network",
        SkipReason.NoContainers => "no-containers",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };
}
