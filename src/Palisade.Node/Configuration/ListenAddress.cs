using System.Globalization;
using System.Net;

namespace Palisade.Node.Configuration;

/// <summary>A listening address: <c>host:port</c>, <c>[v6]:port</c>, or a bare port (all interfaces).</summary>
public sealed record ListenAddress(IPAddress Address, int Port)
{
    public static ListenAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        string host;
        string port;
        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= value.Length || value[close + 1] != ':')
            {
                throw new FormatException($"'{text}' is not an address: use host:port, [ipv6]:port or a port");
            }

            host = value[1..close];
            port = value[(close + 2)..];
        }
        else
        {
            var colon = value.LastIndexOf(':');
            if (colon >= 0 && value.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                throw new FormatException($"'{text}' is not an address: write IPv6 hosts in brackets, [::1]:80");
            }

            host = colon < 0 ? "0.0.0.0" : value[..colon];
            port = colon < 0 ? value : value[(colon + 1)..];
        }

        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 65535)
        {
            throw new FormatException($"'{text}' has no valid port (0-65535)");
        }

        IPAddress address;
        if (host is "" or "*" or "0.0.0.0")
        {
            address = IPAddress.Any;
        }
        else if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(host, out address!))
        {
            throw new FormatException($"'{host}' is not an IP address (host names other than localhost are not resolved)");
        }

        return new ListenAddress(address, number);
    }

    public override string ToString() =>
        Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{Address}]:{Port.ToString(CultureInfo.InvariantCulture)}"
            : $"{Address}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
