namespace Palisade.Kubernetes.Injection;

/// <summary>Kubernetes' name rules (RFC 1123), as the API server checks them.</summary>
public static class KubernetesNames
{
    /// <summary>A DNS subdomain: at most 253 lower-case alphanumerics, '-' and '.', starting and ending alphanumeric.</summary>
    public static bool IsDnsSubdomain(string? name) =>
        name is { Length: > 0 and <= 253 }
        && IsAlphanumeric(name[0]) && IsAlphanumeric(name[^1])
        && name.All(c => IsAlphanumeric(c) || c is '-' or '.');

    /// <summary>A DNS label: at most 63 lower-case alphanumerics and '-', starting and ending alphanumeric.</summary>
    public static bool IsDnsLabel(string? name) =>
        name is { Length: > 0 and <= 63 }
        && IsAlphanumeric(name[0]) && IsAlphanumeric(name[^1])
        && name.All(c => IsAlphanumeric(c) || c == '-');

    private static bool IsAlphanumeric(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
}
