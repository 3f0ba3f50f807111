using System.Net;
using Microsoft.Extensions.Primitives;

namespace Palisade.Node.Proxy;

/// <summary>
/// Finds the real client address behind trusted proxies and builds the forwarding headers.
/// A peer that is not trusted cannot speak for anyone else: its <c>X-Forwarded-For</c> is replaced by its own
/// address, so an application that believes the header cannot be fooled through the node. A trusted peer's
/// chain is kept and extended, and the client is the right-most address that is not itself trusted.
/// </summary>
public sealed class ClientAddressResolver
{
    private readonly IpNetworkList _trusted;

    public ClientAddressResolver(IpNetworkList trusted)
    {
        _trusted = trusted;
    }

    public ClientAddress Resolve(IPAddress? peer, StringValues forwardedFor, StringValues forwardedProto, bool https)
    {
        peer = Normalize(peer);
        var peerText = peer?.ToString() ?? "unknown";
        var scheme = https ? "https" : "http";
        if (peer is null || !_trusted.Contains(peer))
        {
            return new ClientAddress(peer, peerText, scheme);
        }

        var chain = forwardedFor.Count switch
        {
            0 => "",
            1 => forwardedFor.ToString().Trim(),
            _ => string.Join(", ", forwardedFor.Select(v => v?.Trim())),
        };

        var client = peer;
        var hops = chain.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (!TryParseHop(hops[i], out var hop))
            {
                break;
            }

            client = hop;
            if (!_trusted.Contains(hop))
            {
                break;
            }
        }

        var proto = forwardedProto.Count > 0 ? LastItem(forwardedProto[forwardedProto.Count - 1]) : scheme;
        if (proto is not ("http" or "https"))
        {
            proto = scheme;
        }

        return new ClientAddress(client, chain.Length == 0 ? peerText : chain + ", " + peerText, proto);
    }

    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    private static string LastItem(string? value)
    {
        var text = value ?? "";
        var comma = text.LastIndexOf(',');
        return (comma < 0 ? text : text[(comma + 1)..]).Trim().ToLowerInvariant();
    }

    // Hops are plain addresses, optionally with a port: 203.0.113.7, 203.0.113.7:4711, [2001:db8::1]:4711.
    private static bool TryParseHop(string hop, out IPAddress address)
    {
        var text = hop.AsSpan();
        if (text.StartsWith("["))
        {
            var close = text.IndexOf(']');
            text = close < 0 ? text : text[1..close];
        }
        else if (text.Count(':') == 1)
        {
            text = text[..text.IndexOf(':')];
        }

        if (IPAddress.TryParse(text, out var parsed))
        {
            address = Normalize(parsed)!;
            return true;
        }

        address = IPAddress.None;
        return false;
    }
}
