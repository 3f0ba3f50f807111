namespace Palisade.Kubernetes.Injection;

/// <summary>Inject, or skip with a reason.</summary>
public readonly record struct InjectionDecision(bool Inject, SkipReason? Reason)
{
    public static InjectionDecision Yes => new(true, null);

    public static InjectionDecision Skip(SkipReason reason) => new(false, reason);
}
