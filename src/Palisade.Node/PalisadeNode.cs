using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Palisade.Detection.Engine;
using Palisade.Detection.Verdicts;
using Palisade.Node.Access;
using Palisade.Node.Access.GeoIp;
using Palisade.Node.Admin;
using Palisade.Node.Configuration;
using Palisade.Node.Demo;
using Palisade.Node.Events;
using Palisade.Node.FrontDoor;
using Palisade.Node.Lifecycle;
using Palisade.Node.Metrics;
using Palisade.Node.Policy;
using Palisade.Node.Proxy;
using Palisade.Node.RateLimiting;
using Palisade.Node.SharedState;
using Yarp.ReverseProxy.Forwarder;

namespace Palisade.Node;

/// <summary>
/// A running filtering node: the proxy listener (inspects and forwards), the admin listener (health,
/// readiness, metrics), the management listener (the IP lists' API, loopback by default) and, in demo mode, the
/// built-in echo application. Each is its own Kestrel host so
/// the proxy can stop accepting and drain while the admin listener still answers <c>/readyz</c> with 503.
/// </summary>
public sealed partial class PalisadeNode : IAsyncDisposable
{
    private readonly WebApplication _proxy;
    private readonly WebApplication _admin;
    private readonly WebApplication? _demo;
    private readonly WebApplication _management;
    private readonly NodeEventLog _events;
    private readonly HttpMessageInvoker _upstreamClient;
    private readonly ILogger _logger;
    private SyslogEventSink? _syslog;
    private (SharedStateConnection? Connection, IpListReplication? Replication) _shared;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _stopping;

    private PalisadeNode(NodeOptions options, WebApplication proxy, WebApplication admin, WebApplication? demo,
        NodeEventLog events, HttpMessageInvoker upstreamClient, MemoryGuard memory, NodeReadiness readiness, NodeMetrics metrics, Uri upstream, ILogger logger,
        LivePolicy policy, WebApplication management, IpAccessStore ipAccess, SqliteAttackLog? attackLog)
    {
        Policy = policy;
        _management = management;
        IpAccess = ipAccess;
        Options = options;
        _proxy = proxy;
        _admin = admin;
        _demo = demo;
        _events = events;
        _upstreamClient = upstreamClient;
        Memory = memory;
        Readiness = readiness;
        Metrics = metrics;
        Upstream = upstream;
        _logger = logger;
        AttackLog = attackLog;
    }

    /// <summary>The configuration the node started with (see <see cref="CurrentOptions"/> after reloads).</summary>
    public NodeOptions Options { get; }

    /// <summary>The configuration in force: the last one a reload applied, or the one the node started with.</summary>
    public NodeOptions CurrentOptions => Policy.Options;

    /// <summary>The policy in force (routes, rules) and how it changes (reloads, exclusions from the management API).</summary>
    public LivePolicy Policy { get; }

    /// <summary>Sheds requests near the memory limit.</summary>
    public MemoryGuard Memory { get; }

    public NodeReadiness Readiness { get; }

    public NodeMetrics Metrics { get; }

    /// <summary>Where legitimate requests go (the demo application in demo mode).</summary>
    public Uri Upstream { get; }

    /// <summary>The SQLite attack log (stored events and their queries), when <see cref="NodeOptions.AttackLog"/> is set.</summary>
    public SqliteAttackLog? AttackLog { get; }

    /// <summary>The proxy listener's bound address (with the real port when 0 was asked for).</summary>
    public Uri ProxyAddress => BoundAddress(_proxy);

    public Uri AdminAddress => BoundAddress(_admin);

    /// <summary>The management listener's bound address (the IP lists' API).</summary>
    public Uri ManagementAddress => BoundAddress(_management);

    /// <summary>The IP lists: the graylist option and <c>ip-lists</c> entries, and those added through the management API.</summary>
    public IpAccessStore IpAccess { get; }

    /// <summary>Completes when the node has stopped.</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Starts every listener; attack events are written to <paramref name="eventOutput"/> as JSON lines.</summary>
    /// <param name="options">The validated configuration.</param>
    /// <param name="eventOutput">Where attack events go (standard output in production).</param>
    /// <param name="engine">The inspection engine; the built-in detectors when null.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <param name="sources">Where <paramref name="options"/> came from: given, the node reloads them when the file changes or on <see cref="ReloadAsync"/>.</param>
    public static async Task<PalisadeNode> StartAsync(NodeOptions options, Stream eventOutput, InspectionEngine? engine = null, NodeConfigurationSources? sources = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(eventOutput);

        WebApplication? demo = null;
        var upstream = options.Upstream;
        if (options.Demo)
        {
            demo = CreateHost(options, new ListenAddress(IPAddress.Loopback, 0), HttpProtocols.Http1AndHttp2);
            demo.Run(DemoEchoApplication.HandleAsync);
            await demo.StartAsync(cancellationToken);
            upstream = BoundAddress(demo);
        }

        var metrics = new NodeMetrics(options.Mode.ToName());
        var readiness = new NodeReadiness(new UpstreamProbe(upstream, TimeProvider.System));
        NodeEventLog? events = null;
        MemoryGuard? memory = null;
        var proxy = CreateHost(options, options.Listen, HttpProtocols.Http1AndHttp2, services => services.AddHttpForwarder(),
            endpoint => endpoint
                .UseMemoryGuard(() => memory, metrics)
                .UseFrontDoor(options.FrontDoor, options.RequestHeadersTimeout, violation => RecordViolation(violation, metrics, events!)));
        var logger = proxy.Services.GetRequiredService<ILoggerFactory>().CreateLogger<PalisadeNode>();
        var attackLog = options.AttackLog.Length > 0
            ? SqliteAttackLog.Open(options.AttackLog, options.AttackLogMaxAge, options.AttackLogMaxSize, TimeProvider.System, metrics, proxy.Services.GetRequiredService<ILogger<SqliteAttackLog>>())
            : null;
        var stdout = new StreamEventSink(eventOutput, proxy.Services.GetRequiredService<ILogger<NodeEventLog>>());
        // Shared state: without Redis at start the node starts all the same and connects when Redis comes.
        var shared = options.Redis is { } redis
            ? await SharedStateConnection.ConnectAsync(redis with { KeyPrefix = options.RedisKeyPrefix }, new SharedStateMetrics(metrics.Registry), proxy.Services.GetRequiredService<ILogger<SharedStateConnection>>())
            : null;
        var sharedEvents = shared is null ? null : new SharedEventStream(shared);
        var syslog = options.EventSyslog is { } target ? new SyslogEventSink(target, proxy.Services.GetRequiredService<ILogger<SyslogEventSink>>()) : null;
        IReadOnlyList<INodeEventSink> sinks =
        [
            stdout,
            .. attackLog is null ? Array.Empty<INodeEventSink>() : [attackLog],
            .. syslog is null ? Array.Empty<INodeEventSink>() : [syslog],
            .. sharedEvents is null ? Array.Empty<INodeEventSink>() : [new RedisEventSink(sharedEvents)],
        ];
        events = new NodeEventLog(metrics, sinks);
        var upstreamClient = UpstreamClientFactory.Create(options);
        memory = new MemoryGuard(
            options.MemoryLimit > 0 ? options.MemoryLimit : MemoryGuard.DefaultLimit(),
            static () => GC.GetGCMemoryInfo().HeapSizeBytes,
            TimeProvider.System,
            metrics,
            proxy.Services.GetRequiredService<ILogger<MemoryGuard>>());
        var geoIpMetrics = new GeoIpMetrics(metrics.Registry);
        var countries = options.GeoIpDatabase.Length == 0 ? null
            : CountryDatabase.Open(options.GeoIpDatabase, proxy.Services.GetRequiredService<ILogger<CountryDatabase>>(), geoIpMetrics);
        var ipAccess = new IpAccessStore(IpListEntries.FromOptions(options), TimeProvider.System, metrics, CountryRules.FromOptions(options), countries);
        var policy = new LivePolicy(options, sources, metrics, ipAccess, TimeProvider.System, proxy.Services.GetRequiredService<ILoggerFactory>());
        var handler = new ProxyRequestHandler(
            options,
            upstream,
            // The engine always reports an exhausted budget; each request's route decides whether it counts (overlimit-policy).
            engine ?? InspectionEngine.CreateDefault(new InspectionOptions { OverlimitPolicy = OverlimitPolicy.Block, MaxInspectionTime = options.InspectionTimeBudget }),
            metrics,
            events,
            proxy.Services.GetRequiredService<IHttpForwarder>(),
            upstreamClient,
            TimeProvider.System,
            proxy.Services.GetRequiredService<ILogger<ProxyRequestHandler>>(),
            memory,
            policy.Active,
            policy.Metrics,
            ipAccess,
            shared is null ? null : new SharedRateLimits(new SharedWindowCounter(shared), shared, TimeProvider.System));
        var replication = shared is null ? null : new IpListReplication(ipAccess, shared);
        if (replication is not null)
        {
            await replication.StartAsync();
        }

        proxy.UseHttp2FrontDoor(options.FrontDoor, violation => RecordViolation(violation, metrics, events));
        proxy.Run(handler.HandleAsync);

        var admin = CreateHost(options, options.AdminListen, HttpProtocols.Http1);
        AdminEndpoints.Map(admin, readiness, metrics);

        var management = CreateHost(options, options.ManagementListen, HttpProtocols.Http1);
        ManagementEndpoints.Map(management, ipAccess, options.AdminToken, TimeProvider.System, management.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ManagementEndpoints)));
        EventEndpoints.Map(management, attackLog);
        ExclusionEndpoints.Map(management, attackLog, policy);
        PolicyEndpoints.Map(management, policy);
        SharedEventEndpoints.Map(management, sharedEvents);
        ConsoleEndpoints.Map(management);

        try
        {
            await admin.StartAsync(cancellationToken);
            await management.StartAsync(cancellationToken);
            await proxy.StartAsync(cancellationToken);
        }
        catch
        {
            await events.DisposeAsync();
            attackLog?.Dispose();
            syslog?.Dispose();
            upstreamClient.Dispose();
            memory.Dispose();
            policy.Dispose();
            ipAccess.Dispose();
            if (replication is not null)
            {
                await replication.DisposeAsync();
            }

            if (shared is not null)
            {
                await shared.DisposeAsync();
            }

            await DisposeHostsAsync(proxy, admin, management, demo);
            throw;
        }

        var node = new PalisadeNode(options, proxy, admin, demo, events, upstreamClient, memory, readiness, metrics, upstream, logger, policy, management, ipAccess, attackLog);
        node._shared = (shared, replication);
        node._syslog = syslog;
        var (proxyAddress, adminAddress, mode) = (node.ProxyAddress, node.AdminAddress, options.Mode.ToName());
        Log.Started(logger, proxyAddress, adminAddress, upstream, mode, CleartextHttp2Detection.IsAvailable);
        Log.ManagementListening(logger, node.ManagementAddress, options.AdminToken is not null);
        return node;
    }

    /// <summary>
    /// Drains and stops: readiness turns 503, the proxy stops accepting and waits for in-flight requests
    /// up to the drain timeout, then everything stops and queued events are written. Safe to call twice.
    /// </summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 1)
        {
            await Stopped;
            return;
        }

        Readiness.BeginDraining();
        Metrics.SetDraining();
        Log.Draining(_logger, Options.DrainTimeout);
        Policy.Dispose();
        using (var drain = new CancellationTokenSource(Options.DrainTimeout))
        {
            await _proxy.StopAsync(drain.Token);
        }

        if (_demo is not null)
        {
            await _demo.StopAsync();
        }

        await _admin.StopAsync();
        await _management.StopAsync();
        await _events.DisposeAsync();
        AttackLog?.Dispose();
        _syslog?.Dispose();
        if (_shared.Replication is not null)
        {
            await _shared.Replication.DisposeAsync();
        }

        if (_shared.Connection is not null)
        {
            await _shared.Connection.DisposeAsync();
        }
        _upstreamClient.Dispose();
        Memory.Dispose();
        IpAccess.Dispose();
        await DisposeHostsAsync(_proxy, _admin, _management, _demo);
        Log.Stopped(_logger);
        _stopped.TrySetResult();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>
    /// Loads the configuration again from its sources (SIGHUP): a valid one is put in force atomically, an invalid
    /// one is logged and counted and the current one keeps serving. False when nothing was applied.
    /// </summary>
    public Task<bool> ReloadAsync() => Policy.ReloadAsync();

    // Enough for the head limits plus 16 KiB of body; the rest waits in the client's socket (back-pressure), and what
    // the node buffers for inspection is bounded by the memory guard.
    private static long RequestBufferSize(NodeOptions options) =>
        options.FrontDoor.MaxRequestLineBytes + options.FrontDoor.MaxHeaderBytes + (16 * 1024);

    // The graylist option's networks are gray configuration entries, next to the ip-lists section's.
    private static void RecordViolation(ProtocolViolationContext violation, NodeMetrics metrics, NodeEventLog events)
    {
        metrics.CountProtocolViolation(violation.Violation);
        if (violation.InHead)
        {
            metrics.CountRequest(RequestOutcome.Reject);
        }

        var client = violation.Remote is IPEndPoint remote ? (remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address).ToString() : "unknown";
        events.Publish(new ProtocolViolationEvent(DateTimeOffset.UtcNow, violation.RequestId, client, violation.Violation));
    }

    private static WebApplication CreateHost(NodeOptions options, ListenAddress listen, HttpProtocols protocols, Action<IServiceCollection>? services = null, Action<ListenOptions>? endpointMiddleware = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Services.AddSingleton<IHostLifetime, NodeHostLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.DrainTimeout);
        NodeLogging.Configure(builder.Logging, options);
        // The socket transport buffers what it reads ahead of Kestrel in a pipe of its own, 1 MiB per connection by
        // default whatever MaxRequestBufferSize says: bounded by the same size here (S06: 1,000 uploads held 220 MiB).
        builder.WebHost.UseSockets(sockets => sockets.MaxReadBufferSize = RequestBufferSize(options));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Real browsers send raw UTF-8 in cookies: header bytes above 0x7F are read one char per byte (and
            // forwarded the same way) instead of being refused as non-ASCII.
            kestrel.RequestHeaderEncodingSelector = static _ => System.Text.Encoding.Latin1;
            // Body size is governed by the inspection limit and oversize policy, not by Kestrel's 30 MB default.
            kestrel.Limits.MaxRequestBodySize = null;
            // The front door enforces the head limits on HTTP/1.x (with an event and its own status); Kestrel's own
            // are set just above them so that they only act on HTTP/2, where Kestrel is the only parser.
            kestrel.Limits.MaxRequestLineSize = options.FrontDoor.MaxRequestLineBytes + 2;
            kestrel.Limits.MaxRequestHeadersTotalSize = options.FrontDoor.MaxHeaderBytes + 2;
            kestrel.Limits.MaxRequestHeaderCount = options.FrontDoor.MaxHeaderCount;

            // What a connection may hold of a request nobody has read yet: Kestrel's 1 MiB per connection would be
            // 1 GiB for 1,000 uploads (see RequestBufferSize).
            kestrel.Limits.MaxRequestBufferSize = RequestBufferSize(options);
            kestrel.Limits.MaxConcurrentConnections = options.MaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = options.MaxConnections;
            kestrel.Limits.RequestHeadersTimeout = options.RequestHeadersTimeout;
            kestrel.Limits.KeepAliveTimeout = options.KeepAliveTimeout;
            kestrel.Limits.MinRequestBodyDataRate = options.MinRequestBodyRate == 0 ? null : new MinDataRate(options.MinRequestBodyRate, TimeSpan.FromSeconds(5));
            // "[::]" is dual-stack (IPv4 clients arrive as mapped addresses); on a kernel without IPv6 it falls back
            // to IPv4 instead of failing, so one rendered sidecar fits single- and dual-stack pods.
            var address = listen.Address.Equals(IPAddress.IPv6Any) && !Socket.OSSupportsIPv6 ? IPAddress.Any : listen.Address;
            kestrel.Listen(address, listen.Port, endpoint =>
            {
                // Cleartext HTTP/1.1 and HTTP/2 share the port: the protocol is picked per connection from its
                // first bytes (see CleartextHttp2Detection), HTTP/1.1 when this Kestrel cannot be told.
                endpoint.Protocols = HttpProtocols.Http1;
                if (protocols == HttpProtocols.Http1AndHttp2)
                {
                    endpoint.UseCleartextHttp2Detection();
                }

                endpointMiddleware?.Invoke(endpoint);
            });
        });
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    private static Uri BoundAddress(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal));
    }

    private static async Task DisposeHostsAsync(params WebApplication?[] hosts)
    {
        foreach (var host in hosts)
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }
        }
    }
}
