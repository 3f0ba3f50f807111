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

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var copyBody = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (copyBody && proxyResponse is not null && proxyResponse.StatusCode != System.Net.HttpStatusCode.SwitchingProtocols)
        {
            // The content headers are copied by now; the body is read through a wrapper that notes its progress (an
            // upgraded connection's stream is duplex and stays as it is).
            var progress = new UpstreamProgress(proxyResponse.Content);
            proxyResponse.Content = progress;
            httpContext.Features.Set(progress);
        }

        return copyBody;
    }
}
