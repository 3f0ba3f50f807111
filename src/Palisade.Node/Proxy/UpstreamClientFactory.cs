using System.Diagnostics;
using System.Net;
using Palisade.Node.Configuration;

namespace Palisade.Node.Proxy;

/// <summary>
/// The HTTP client that talks to the application: no proxy, no redirects, no decompression, no cookies, no
/// trace headers added, header bytes written as they were read, so what goes out is what came in; connections are
/// pooled and reused.
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
            PooledConnectionIdleTimeout = options.UpstreamKeepAliveTimeout,
            EnableMultipleHttp2Connections = true,
            // Header values were read as Latin-1 (one char per byte): written back the same way, a UTF-8 cookie
            // or any other obs-text byte reaches the application exactly as the client sent it.
            RequestHeaderEncodingSelector = static (_, _) => System.Text.Encoding.Latin1,
        };
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }
}
