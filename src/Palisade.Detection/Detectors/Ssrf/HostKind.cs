namespace Palisade.Detection.Detectors.Ssrf;

/// <summary>What a URL's host names, as far as a server fetching it is concerned.</summary>
public enum HostKind
{
    /// <summary>A public name or address, or nothing recognisable as a host.</summary>
    Public,

    /// <summary>The machine itself: 127.0.0.0/8, ::1, <c>localhost</c> and its aliases.</summary>
    Loopback,

    /// <summary>0.0.0.0 or ::, which reach the machine itself on most stacks.</summary>
    Unspecified,

    /// <summary>Private and shared ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) and internal names.</summary>
    Private,

    /// <summary>Link-local ranges (169.254/16, fe80::/10).</summary>
    LinkLocal,

    /// <summary>A cloud instance metadata service, by address or by name.</summary>
    Metadata,
}
