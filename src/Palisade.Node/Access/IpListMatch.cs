using System.Net;

namespace Palisade.Node.Access;

/// <summary>The entry that decides for an address: the most specific one that has not expired.</summary>
public readonly record struct IpListMatch(IpListEntry Entry)
{
    public IpListKind Kind => Entry.Kind;

    public IPNetwork Network => Entry.Network;
}
