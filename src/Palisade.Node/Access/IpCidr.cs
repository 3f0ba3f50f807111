using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Palisade.Node.Access;

/// <summary>
/// Reads an address or CIDR as operators write it. Host bits are cleared (<c>10.1.2.3/8</c> is <c>10.0.0.0/8</c>),
/// IPv4-mapped IPv6 networks become IPv4 ones; shorthand IPv4 (<c>10</c>, <c>10.1</c>), zone ids and prefixes
/// past the family's width are refused.
/// </summary>
public static class IpCidr
{
    public static bool TryParse(string? text, out IPNetwork network, out string error)
    {
        network = default;
        var value = text?.Trim() ?? "";
        if (value.Length == 0)
        {
            error = "an address or CIDR is required (10.0.0.0/8, 2001:db8::/32)";
            return false;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var host = slash < 0 ? value : value[..slash];
        var isV6 = host.Contains(':', StringComparison.Ordinal);
        if (host.Contains('%', StringComparison.Ordinal) || (!isV6 && !IsDottedQuad(host)) || !IPAddress.TryParse(host, out var address))
        {
            error = $"'{value}' is not an IP address or CIDR (10.0.0.0/8, 2001:db8::/32)";
            return false;
        }

        var width = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = width;
        if (slash >= 0 && (!int.TryParse(value.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > width))
        {
            error = $"'{value}' has no valid prefix length (0-{width.ToString(CultureInfo.InvariantCulture)})";
            return false;
        }

        if (address.IsIPv4MappedToIPv6 && prefix >= 96)
        {
            address = address.MapToIPv4();
            prefix -= 96;
        }

        network = new IPNetwork(Mask(address, prefix), prefix);
        error = "";
        return true;
    }

    public static IPNetwork Parse(string text) =>
        TryParse(text, out var network, out var error) ? network : throw new FormatException(error);

    /// <summary>The address with the bits past <paramref name="prefix"/> cleared.</summary>
    public static IPAddress Mask(IPAddress address, int prefix)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> bytes = stackalloc byte[4];
            address.TryWriteBytes(bytes, out _);
            var bits = BinaryPrimitives.ReadUInt32BigEndian(bytes);
            var masked = prefix == 0 ? 0u : bits & (uint.MaxValue << (32 - prefix));
            BinaryPrimitives.WriteUInt32BigEndian(bytes, masked);
            return new IPAddress(bytes);
        }

        Span<byte> wide = stackalloc byte[16];
        address.TryWriteBytes(wide, out _);
        var value = BinaryPrimitives.ReadUInt128BigEndian(wide);
        var kept = prefix == 0 ? UInt128.Zero : value & (UInt128.MaxValue << (128 - prefix));
        BinaryPrimitives.WriteUInt128BigEndian(wide, kept);
        return new IPAddress(wide);
    }

    private static bool IsDottedQuad(string host)
    {
        var dots = 0;
        foreach (var c in host)
        {
            if (c == '.')
            {
                dots++;
            }
            else if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return dots == 3;
    }
}
