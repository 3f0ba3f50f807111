using Palisade.Kubernetes.Injection;

namespace Palisade.Kubernetes.Install;

/// <summary>What <c>palisade install</c> prints: where the injector runs, how the webhook fails, who issues its certificate.</summary>
public sealed record InstallOptions
{
    public string Namespace { get; init; } = "palisade-system";

    /// <summary>The image of the injector; also the sidecar's unless <see cref="Injection"/> names another.</summary>
    public string Image { get; init; } = new InjectionOptions().Image;

    public int Replicas { get; init; } = 2;

    /// <summary><c>Fail</c> (a pod that should be injected is never created without the sidecar) or <c>Ignore</c>.</summary>
    public string FailurePolicy { get; init; } = "Fail";

    /// <summary>
    /// Print the ValidatingAdmissionPolicy that flags pods created without the sidecar (Kubernetes 1.30 or later; turn
    /// it off for older clusters, which do not know the kind).
    /// </summary>
    public bool UnprotectedPodPolicy { get; init; } = true;

    /// <summary>Leave the serving certificate to cert-manager instead of generating it.</summary>
    public bool CertManager { get; init; }

    /// <summary>The sidecar defaults handed to the injector (mode, capture, image, sidecar kind).</summary>
    public InjectionOptions Injection { get; init; } = new();

    public const string Name = "palisade-injector";

    public const string TlsSecret = "palisade-injector-tls";

    public string ServiceHost => $"{Name}.{Namespace}.svc";
}
