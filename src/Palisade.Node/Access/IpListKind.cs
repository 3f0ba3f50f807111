namespace Palisade.Node.Access;

/// <summary>
/// What an IP list says about a source. When networks of different kinds overlap the longest prefix wins; at
/// the same prefix <see cref="Deny"/> beats <see cref="Allow"/>, which beats <see cref="Gray"/> (see <see cref="IpAccessList"/>).
/// </summary>
public enum IpListKind
{
    /// <summary>Trusted: requests pass without being blocked.</summary>
    Allow,

    /// <summary>Refused before inspection.</summary>
    Deny,

    /// <summary>Suspect: attacks from it are blocked in <c>safe_blocking</c> mode.</summary>
    Gray,
}
