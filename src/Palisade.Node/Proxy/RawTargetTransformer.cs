using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Palisade.Node.Proxy;

/// <summary>
/// Copies the request to the application as received. Headers are copied by YARP's base transformer (which
/// keeps the client's Host); the request-target is the raw one, byte for byte, instead of YARP's
/// re-encoding of the decoded path (which turns <c>%2F</c> into <c>%252F</c> and would make the application
/// see a different request than the one inspected).
/// </summary>
public sealed class RawTargetTransformer : HttpTransformer
{
    public static RawTargetTransformer Instance { get; } = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        ArgumentNullException.ThrowIfNull(proxyRequest);
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        // YARP drops Upgrade-Insecure-Requests along with the hop-by-hop headers; it is an end-to-end header.
        if (httpContext.Request.Headers.TryGetValue("Upgrade-Insecure-Requests", out var upgradeInsecure))
        {
            proxyRequest.Headers.TryAddWithoutValidation("Upgrade-Insecure-Requests", (IEnumerable<string?>)upgradeInsecure);
        }

        var rawTarget = httpContext.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        proxyRequest.RequestUri = RawTargets.ToUpstreamUri(destinationPrefix, rawTarget);
    }
}
