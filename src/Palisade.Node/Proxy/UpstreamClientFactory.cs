using System.Diagnostics;
using System.Net;
using Palisade.Node.Configuration;

namespace Palisade.Node.Proxy;

/// <summary>
/// The HTTP client that talks to the application: no proxy, no redirects, no decompression, no cookies, no
/// trace headers added, so what goes out is what came in; connections are pooled and reused.
/// </summary>
public static class UpstreamClientFactory
{
    public static HttpMessageInvoker Create(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
            ConnectTimeout = options.UpstreamConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            EnableMultipleHttp2Connections = true,
        };
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }
}
