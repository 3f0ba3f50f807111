namespace Palisade.Detection.Detectors.Ssrf;

/// <summary>The fixed explanations an SSRF finding carries; they never contain request data.</summary>
public static class SsrfReasons
{
    public const string MetadataHost = "URL to a cloud metadata service";
    public const string LoopbackHost = "URL to the loopback interface";
    public const string PrivateHost = "URL to a private or link-local address";
    public const string ObfuscatedAddress = "URL to an IP address in obfuscated notation";
    public const string DangerousScheme = "URL with a scheme that talks to raw services (gopher, dict, ldap, jar, ...)";
    public const string HostConfusion = "URL whose parsers disagree on the host, one of them internal";
    public const string InternalName = "internal host name without scheme";
    public const string UnixSocket = "proxy URL to a unix socket";
}
