using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Palisade.Detection.Engine;
using Palisade.Detection.Findings;
using Palisade.Detection.Rules;
using Palisade.Detection.Verdicts;
using Palisade.Node.Access;
using Palisade.Node.Blocking;
using Palisade.Node.Configuration;
using Palisade.Node.Events;
using Palisade.Node.FrontDoor;
using Palisade.Node.Inspection;
using Palisade.Node.Lifecycle;
using Palisade.Node.Metrics;
using Palisade.Node.Policy;
using Palisade.Node.RateLimiting;
using Yarp.ReverseProxy.Forwarder;

namespace Palisade.Node.Proxy;

/// <summary>
/// The request path of the node, in order: request id, client address, body buffering up to the
/// inspection limit, inspection, verdict under the mode, attack event, then either the block response or
/// forwarding. The verdict is taken before a single byte goes to the application.
/// </summary>
public sealed partial class ProxyRequestHandler
{
    private readonly NodeOptions _options;
    private readonly InspectionScheduler _inspections;
    private readonly NodeMetrics _metrics;
    private readonly NodeEventLog _events;
    private readonly IHttpForwarder _forwarder;
    private readonly MemoryGuard? _memory;
    private readonly HttpMessageInvoker _upstream;
    private readonly ForwarderRequestConfig _requestConfig;
    private readonly ClientAddressResolver _clients;
    private readonly ActivePolicy _policy;
    private readonly PolicyMetrics? _policyMetrics;
    private readonly IpAccessStore? _ipAccess;
    private readonly SharedRateLimits? _sharedLimits;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _upstreamPrefix;

    public ProxyRequestHandler(
        NodeOptions options,
        Uri upstream,
        InspectionEngine engine,
        NodeMetrics metrics,
        NodeEventLog events,
        IHttpForwarder forwarder,
        HttpMessageInvoker upstreamClient,
        TimeProvider time,
        ILogger<ProxyRequestHandler> logger,
        MemoryGuard? memory = null,
        ActivePolicy? policy = null,
        PolicyMetrics? policyMetrics = null,
        IpAccessStore? ipAccess = null,
        SharedRateLimits? sharedLimits = null)
    {
        _sharedLimits = sharedLimits;
        _ipAccess = ipAccess;
        _policyMetrics = policyMetrics;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(upstream);
        _options = options;
        _inspections = new InspectionScheduler(engine, metrics.ObserveInspection, metrics.ObserveInspectionWait);
        _metrics = metrics;
        _events = events;
        _forwarder = forwarder;
        _upstream = upstreamClient;
        _time = time;
        _logger = logger;
        _memory = memory;
        _upstreamPrefix = upstream.GetLeftPart(UriPartial.Authority);
        _clients = new ClientAddressResolver(new IpNetworkList(options.TrustedProxies));
        _policy = policy ?? new ActivePolicy(NodePolicy.From(options));
        _requestConfig = new ForwarderRequestConfig
        {
            ActivityTimeout = options.UpstreamTimeout,
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
    }

    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var requestId = RequestIds.FromHeaderOrNew(request.Headers[NodeHeaders.RequestId]);
        context.Response.Headers[NodeHeaders.PalisadeRequestId] = requestId;
        var frontDoor = context.Features.Get<FrontDoorConnectionFeature>();
        frontDoor?.CurrentRequestId = requestId;
        _metrics.RequestStarted();
        RequestBodyBuffer? body = null;
        (RateLimiter Limits, RateLimitRequest Request)? failureCount = null;
        try
        {
            if (_memory?.IsShedding == true)
            {
                // Near the memory limit: answer before reading a byte of the body, and close the connection.
                _metrics.CountShed();
                await LocalResponseWriter.WriteAsync(context, LocalResponse.Overloaded, StatusCodes.Status503ServiceUnavailable, requestId);
                return;
            }

            var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
            if (RawTargets.OriginForm(rawTarget) is null)
            {
                _metrics.CountRequest(RequestOutcome.Reject);
                await LocalResponseWriter.WriteAsync(context, LocalResponse.BadTarget, StatusCodes.Status400BadRequest, requestId);
                return;
            }

            var client = _clients.Resolve(context.Connection.RemoteIpAddress, request.Headers[NodeHeaders.ForwardedFor], request.Headers[NodeHeaders.ForwardedProto], request.IsHttps);

            // One policy for the whole request, however a reload races it. Routes and rules compare the path the
            // application would resolve, not the spelling the client chose.
            var policy = _policy.Current;
            var host = request.Host.Value ?? "";
            var rulePath = policy.NeedsPath ? RulePath.Normalize(RawTargets.PathOf(rawTarget)) : null;
            var route = policy.Resolve(request.Method, host, rulePath);
            // The lists apply unless the whole node is off: a route set to off skips inspection, not the deny list.
            var listed = policy.Default.Mode == EnforcementMode.Off || client.Ip is null ? null : _ipAccess?.Find(client.Ip);
            if (listed?.Kind == IpListKind.Deny)
            {
                // A denied source is refused before a byte of its body is read.
                await DenyAsync(context, requestId, client, route, listed.Value);
                return;
            }

            if (route.Mode == EnforcementMode.Off || listed?.Kind == IpListKind.Allow)
            {
                // Off, or a source the operator trusts: forwarded without inspection.
                _metrics.CountRequest(RequestOutcome.Pass);
            }
            else
            {
                if (route.OversizePolicy == OversizePolicy.Reject && request.ContentLength > route.InspectionLimit)
                {
                    // Known too large before reading a byte (and before any 100 Continue is sent).
                    await RejectOversizeAsync(context, requestId);
                    return;
                }

                try
                {
                    body = await RequestBodyBuffer.ReadAsync(request, route.InspectionLimit, context.RequestAborted, _memory?.Buffers);
                }
                catch (BodyBufferBudgetExceededException)
                {
                    // Too many bodies are being buffered at once: shed this one before reading the rest of it.
                    _metrics.CountShed();
                    await LocalResponseWriter.WriteAsync(context, LocalResponse.Overloaded, StatusCodes.Status503ServiceUnavailable, requestId);
                    return;
                }
                catch (BadHttpRequestException e)
                {
                    // The front door found the body's framing invalid (it counts and logs it), or the client sent it
                    // too slowly (Kestrel's minimum data rate: 408); either way nothing went upstream.
                    await RejectBadBodyAsync(context, requestId, e.StatusCode == StatusCodes.Status408RequestTimeout);
                    return;
                }

                if (body is { Truncated: true })
                {
                    _metrics.CountOversize();
                    if (route.OversizePolicy == OversizePolicy.Reject)
                    {
                        await RejectOversizeAsync(context, requestId);
                        return;
                    }
                }

                if (policy.RateLimits is { } limits)
                {
                    var limited = new RateLimitRequest(request.Method, host, rulePath!.Value, client.Ip, request.Headers) { Body = body?.Inspected ?? default, LiteralPath = rulePath.IsAmbiguous ? rulePath.Literal : null, RawPath = rulePath.IsAmbiguous ? rulePath.Raw : null };
                    var decision = _sharedLimits is null ? limits.Check(limited) : await _sharedLimits.CheckAsync(limits, limited);
                    if (!decision.IsAllowed && route.Mode is EnforcementMode.Block or EnforcementMode.SafeBlocking)
                    {
                        // Refused before inspection; in monitoring the hit is only counted.
                        _metrics.CountRequest(RequestOutcome.Reject);
                        _policyMetrics?.CountDecision(route.Name, RequestOutcome.Reject);
                        await LocalResponseWriter.WriteAsync(context, LocalResponse.RateLimited, StatusCodes.Status429TooManyRequests, requestId, decision.RetryAfterSeconds);
                        return;
                    }

                    if (limits.HasFailureRules)
                    {
                        failureCount = (limits, limited);
                    }
                }

                var rules = rulePath is null ? null : policy.Rules.Select(request.Method, host, rulePath, route.Name);
                var outcome = await InspectAsync(context, requestId, client, body, policy, route, rules, graylisted: listed?.Kind == IpListKind.Gray);
                _metrics.CountRequest(outcome);
                _policyMetrics?.CountDecision(route.Name, outcome);
                if (outcome == RequestOutcome.Block)
                {
                    await LocalResponseWriter.WriteAsync(context, LocalResponse.Blocked, policy.BlockStatus, requestId);
                    return;
                }

                if (outcome == RequestOutcome.Error)
                {
                    await LocalResponseWriter.WriteAsync(context, LocalResponse.InspectionUnavailable, StatusCodes.Status503ServiceUnavailable, requestId);
                    return;
                }

                if (body is not null)
                {
                    request.Body = body.CreateReplayStream(request.Body);
                }
            }

            if (frontDoor is not null && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true })
            {
                // After a 101 the client's bytes are the new protocol's, not HTTP/1.1 requests for the front door.
                context.Response.OnStarting(static state =>
                {
                    var (response, feature) = ((HttpResponse, FrontDoorConnectionFeature))state;
                    if (response.StatusCode == StatusCodes.Status101SwitchingProtocols)
                    {
                        feature.MarkSwitchedProtocols();
                    }

                    return Task.CompletedTask;
                }, (context.Response, frontDoor));
            }

            SetForwardingHeaders(request, client, requestId);
            var error = await _forwarder.SendAsync(context, _upstreamPrefix, _upstream, _requestConfig, RawTargetTransformer.Instance);
            if (error == ForwarderError.Request && UpstreamRetry.IsRetryable(context))
            {
                // The application closed a pooled connection as the request went out on it (its keep-alive timer
                // won): nothing was applied, and a request without a body and a safe method can go again, once.
                UpstreamRetry.Reset(context);
                _metrics.CountUpstreamRetry();
                Log.RetriedOnClosedConnection(_logger, requestId);
                error = await _forwarder.SendAsync(context, _upstreamPrefix, _upstream, _requestConfig, RawTargetTransformer.Instance);
            }

            if (error != ForwarderError.None)
            {
                await HandleForwardingErrorAsync(context, error, requestId);
            }
            else if (failureCount is var (limiter, counted))
            {
                // Brute-force rules count the application's answers (401, 403...) per key; the body their key may be read
                // from is still held here.
                if (_sharedLimits is null)
                {
                    limiter.ObserveResponse(counted, context.Response.StatusCode);
                }
                else
                {
                    await _sharedLimits.ObserveResponseAsync(limiter, counted, context.Response.StatusCode);
                }
            }
        }
        finally
        {
            body?.Dispose();
            _metrics.RequestFinished();
        }
    }

    private async ValueTask<RequestOutcome> InspectAsync(HttpContext context, string requestId, ClientAddress client, RequestBodyBuffer? body, NodePolicy policy, RoutePolicy route, ScopedRules? rules, bool graylisted)
    {
        var snapshot = RequestSnapshotFactory.Create(context, client.Ip, body);
        IReadOnlyList<Finding> findings;
        try
        {
            if (rules is { AllowedOutright: true, NeedsValues: false })
            {
                // An allow rule holds for the whole request: the detectors need not run (virtual patches still do).
                findings = rules.Apply([]);
            }
            else
            {
                var result = await _inspections.InspectAsync(snapshot, rules is { NeedsValues: true } ? rules : null);
                findings = rules is null ? result.Findings : rules.Apply(result.Findings);
                if (result.BudgetExceeded && route.OverlimitPolicy == OverlimitPolicy.Pass)
                {
                    // The route inspects what fits and lets an exhausted budget pass.
                    findings = WithoutOverlimit(findings);
                }
            }
        }
#pragma warning disable CA1031 // Any engine failure is handled by the fail-open policy; the node must keep serving.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _metrics.CountInspectionFailure();
            Log.InspectionFailed(_logger, requestId, route.FailOpen, e);
            return route.FailOpen ? RequestOutcome.Pass : RequestOutcome.Error;
        }

        if (findings.Count == 0)
        {
            return RequestOutcome.Pass;
        }

        var action = VerdictPolicy.Decide(isAttack: true, route.Mode, graylisted);
        CountAttackTypes(findings);
        _events.Publish(new AttackEvent(
            _time.GetUtcNow(),
            requestId,
            client.Ip?.ToString() ?? "unknown",
            context.Request.Method,
            context.Request.Host.Value ?? "",
            snapshot.RawPath.ToString(),
            route.Mode,
            action,
            snapshot.BodyTruncated,
            findings)
        {
            Route = route.Name,
        });
        return action == VerdictAction.Block ? RequestOutcome.Block : RequestOutcome.Monitor;
    }

    private async Task DenyAsync(HttpContext context, string requestId, ClientAddress client, RoutePolicy route, IpListMatch match)
    {
        _metrics.CountRequest(RequestOutcome.Block);
        _policyMetrics?.CountDecision(route.Name, RequestOutcome.Block);
        _events.Publish(new AccessDeniedEvent(
            _time.GetUtcNow(),
            requestId,
            client.Ip?.ToString() ?? "unknown",
            context.Request.Method,
            context.Request.Host.Value ?? "",
            RawTargets.PathOf(context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget).ToString(),
            route.Name,
            match.Describe(),
            match.Reason));
        await LocalResponseWriter.WriteAsync(context, LocalResponse.Blocked, StatusCodes.Status403Forbidden, requestId);
    }

    private static List<Finding> WithoutOverlimit(IReadOnlyList<Finding> findings)
    {
        var kept = new List<Finding>(findings.Count);
        foreach (var finding in findings)
        {
            if (finding.AttackType != AttackType.Overlimit)
            {
                kept.Add(finding);
            }
        }

        return kept;
    }

    private void CountAttackTypes(IReadOnlyList<Finding> findings)
    {
        var seen = 0UL;
        foreach (var finding in findings)
        {
            var bit = 1UL << (int)finding.AttackType;
            if ((seen & bit) == 0)
            {
                seen |= bit;
                _metrics.CountAttack(finding.AttackType);
            }
        }
    }

    private Task RejectOversizeAsync(HttpContext context, string requestId)
    {
        _metrics.CountRequest(RequestOutcome.Reject);
        return LocalResponseWriter.WriteAsync(context, LocalResponse.PayloadTooLarge, StatusCodes.Status413PayloadTooLarge, requestId);
    }

    private async Task RejectBadBodyAsync(HttpContext context, string requestId, bool timedOut = false)
    {
        _metrics.CountRequest(RequestOutcome.Reject);
        await LocalResponseWriter.WriteAsync(
            context,
            timedOut ? LocalResponse.RequestTimeout : LocalResponse.BadRequestBody,
            timedOut ? StatusCodes.Status408RequestTimeout : StatusCodes.Status400BadRequest,
            requestId);
        // Sent now: Kestrel drops the connection after a request whose body failed, and unflushed bytes with it.
        await context.Response.CompleteAsync();
    }

    private static void SetForwardingHeaders(HttpRequest request, ClientAddress client, string requestId)
    {
        var headers = request.Headers;
        headers[NodeHeaders.ForwardedFor] = client.ForwardedFor;
        headers[NodeHeaders.ForwardedProto] = client.Proto;
        headers[NodeHeaders.RequestId] = requestId;
    }

    private async Task HandleForwardingErrorAsync(HttpContext context, ForwarderError error, string requestId)
    {
        var failure = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        if (error == ForwarderError.RequestBodyClient && (failure is BadHttpRequestException || failure?.InnerException is BadHttpRequestException))
        {
            // Streaming (mode off, or past the inspection limit): the body's framing broke off on the way; the
            // application's request was aborted with it.
            if (!context.Response.HasStarted)
            {
                await RejectBadBodyAsync(context, requestId);
            }

            return;
        }

        var kind = Classify(error, failure, context.Features.Get<UpstreamProgress>()?.Silence >= _requestConfig.ActivityTimeout * 0.9);
        _metrics.CountUpstreamError(kind);
        if (kind == UpstreamErrorKind.ClientStalled)
        {
            // A slow read: the client kept the connection open but took nothing for the whole timeout.
            Log.ClientStalled(_logger, requestId);
            return;
        }

        if (kind == UpstreamErrorKind.ClientAborted)
        {
            // The client went away: routine for browsers and load balancers, not a fault of the node or the app.
            Log.ClientAborted(_logger, requestId, error);
            return;
        }

        Log.ForwardingFailed(_logger, requestId, error, failure);
        if (context.Response.HasStarted)
        {
            // YARP has already aborted the connection: a cut response is never presented as complete.
            return;
        }

        var timeout = kind == UpstreamErrorKind.Timeout;
        await LocalResponseWriter.WriteAsync(
            context,
            timeout ? LocalResponse.GatewayTimeout : LocalResponse.BadGateway,
            timeout ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway,
            requestId);
    }

    private static UpstreamErrorKind Classify(ForwarderError error, Exception? failure, bool applicationSilent) => error switch
    {
        // YARP's activity timeout cancels a write that made no progress with a plain OperationCanceledException; a client
        // that went away fails it with an IOException or Kestrel's ConnectionAbortedException instead.
        ForwarderError.ResponseBodyClient when failure?.GetType() == typeof(OperationCanceledException) => UpstreamErrorKind.ClientStalled,
        ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyDestination when applicationSilent => UpstreamErrorKind.Timeout,
        ForwarderError.RequestTimedOut => UpstreamErrorKind.Timeout,
        ForwarderError.Request when failure is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => UpstreamErrorKind.Connect,
        ForwarderError.Request when failure?.InnerException is TimeoutException => UpstreamErrorKind.Connect,
        ForwarderError.Request or ForwarderError.ResponseHeaders or ForwarderError.ResponseBodyDestination => UpstreamErrorKind.Response,
        ForwarderError.RequestBodyDestination => UpstreamErrorKind.RequestBody,
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient or ForwarderError.ResponseBodyCanceled => UpstreamErrorKind.ClientAborted,
        _ => UpstreamErrorKind.Other,
    };
}
