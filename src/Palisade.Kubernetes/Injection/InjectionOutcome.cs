namespace Palisade.Kubernetes.Injection;

public enum InjectionOutcome
{
    /// <summary>The pod gets the sidecar: the result carries the patch.</summary>
    Injected,

    /// <summary>The pod stays as it is, for the result's reason.</summary>
    Skipped,

    /// <summary>The pod opted in with annotations that cannot be used: admission is refused with the errors.</summary>
    Denied,
}
