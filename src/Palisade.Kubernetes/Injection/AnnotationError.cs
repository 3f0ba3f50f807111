namespace Palisade.Kubernetes.Injection;

/// <summary>An annotation whose value cannot be used; the message names the allowed values.</summary>
public sealed record AnnotationError(string Annotation, string Value, string Message)
{
    public override string ToString() => $"{Annotation}: '{Value}' {Message}";
}
