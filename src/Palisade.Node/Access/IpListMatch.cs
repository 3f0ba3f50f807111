using System.Net;

namespace Palisade.Node.Access;

/// <summary>
/// What decides for an address: the most specific address entry that has not expired, or, when no address entry
/// covers it, the country rule of the country the database places it in.
/// </summary>
public readonly record struct IpListMatch
{
    public IpListMatch(IpListEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Entry = entry;
        Kind = entry.Kind;
    }

    public IpListMatch(string country, IpListKind kind)
    {
        ArgumentNullException.ThrowIfNull(country);
        Country = country;
        Kind = kind;
    }

    /// <summary>The address entry that decided; null when a country rule did.</summary>
    public IpListEntry? Entry { get; }

    /// <summary>The country whose rule decided; null when an address entry did.</summary>
    public string? Country { get; }

    public IpListKind Kind { get; }

    /// <summary>The network of the address entry that decided; null for a country rule.</summary>
    public IPNetwork? Network => Entry?.Network;

    /// <summary>The operator's reason, when the address entry gave one.</summary>
    public string? Reason => Entry?.Reason;

    /// <summary>What decided, as events name it: the network (<c>203.0.113.0/24</c>) or <c>country:XX</c>.</summary>
    public string Describe() => Entry is { } entry ? entry.Network.ToString() : $"country:{Country}";
}
