using System.Net;

namespace Palisade.Node.Proxy;

/// <summary>
/// The client a request is attributed to, and the forwarding headers the application receives.
/// </summary>
/// <param name="Ip">The client address: the peer, or with trusted proxies the last untrusted hop of <c>X-Forwarded-For</c>.</param>
/// <param name="ForwardedFor">The <c>X-Forwarded-For</c> value sent upstream.</param>
/// <param name="Proto">The <c>X-Forwarded-Proto</c> value sent upstream.</param>
public readonly record struct ClientAddress(IPAddress? Ip, string ForwardedFor, string Proto);
