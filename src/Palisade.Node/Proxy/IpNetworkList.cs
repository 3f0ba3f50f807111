using System.Net;

namespace Palisade.Node.Proxy;

/// <summary>A set of IPv4/IPv6 networks (trusted proxies, the graylist); IPv4-mapped IPv6 addresses match their IPv4 form.</summary>
public sealed class IpNetworkList
{
    private readonly IPNetwork[] _networks;

    public IpNetworkList(IEnumerable<IPNetwork> networks)
    {
        _networks = networks.ToArray();
    }

    public bool IsEmpty => _networks.Length == 0;

    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
