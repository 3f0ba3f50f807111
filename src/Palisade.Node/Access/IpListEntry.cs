using System.Net;

namespace Palisade.Node.Access;

/// <summary>One network on one list. <see cref="Network"/> is normalised (no host bits, IPv4-mapped networks as IPv4).</summary>
/// <param name="Network">An IPv4 or IPv6 network; a single address is a /32 or /128.</param>
/// <param name="Kind">The list it is on.</param>
/// <param name="Reason">Why, for operators; optional.</param>
/// <param name="Expires">When the entry stops matching; never when null.</param>
/// <param name="Source">The configuration or the management API.</param>
public sealed record IpListEntry(IPNetwork Network, IpListKind Kind, string? Reason = null, DateTimeOffset? Expires = null, IpListSource Source = IpListSource.Config)
{
    public bool IsExpired(DateTimeOffset now) => Expires is { } expires && expires <= now;
}
