using System.Net;
using Palisade.Detection.Engine;
using Palisade.Detection.Verdicts;

namespace Palisade.Node.Configuration;

/// <summary>
/// Everything the node is configured with: one immutable snapshot, validated as a whole. Defaults are what
/// an operator expects of a new WAF in front of an application on <c>127.0.0.1:8080</c>. Every option is
/// described, with its YAML key, environment variable and flag, in <see cref="NodeSettings"/>.
/// </summary>
public sealed record NodeOptions
{
    public ListenAddress Listen { get; init; } = new(IPAddress.Any, 80);

    public ListenAddress AdminListen { get; init; } = new(IPAddress.Any, 9901);

    public Uri Upstream { get; init; } = new("http://127.0.0.1:8080");

    public EnforcementMode Mode { get; init; } = EnforcementMode.Monitoring;

    /// <summary>Sources blocked in <c>safe_blocking</c> mode.</summary>
    public IReadOnlyList<IPNetwork> Graylist { get; init; } = [];

    /// <summary>Peers whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed. Nothing by default.</summary>
    public IReadOnlyList<IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>Bytes of body buffered and inspected before anything is forwarded.</summary>
    public long InspectionLimit { get; init; } = 1 << 20;

    public OversizePolicy OversizePolicy { get; init; } = OversizePolicy.InspectPrefixAndPass;

    /// <summary>What a request that exhausts an inspection budget gets: an <c>overlimit</c> attack, or a pass.</summary>
    public OverlimitPolicy OverlimitPolicy { get; init; } = OverlimitPolicy.Block;

    /// <summary>Wall-clock time one request's inspection may take; past it an <c>overlimit</c> finding. Zero: none.</summary>
    public TimeSpan InspectionTimeBudget { get; init; } = TimeSpan.Zero;

    /// <summary>Status code of the block response.</summary>
    public int BlockStatus { get; init; } = 403;

    /// <summary>How long the upstream may stay silent (connecting, sending headers, or between body reads).</summary>
    public TimeSpan UpstreamTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan UpstreamConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a connection to the application may sit idle in the pool before the node closes it (the pool
    /// looks once a second, so up to a second more). With the default, idle connections close within 3 s, below the
    /// keep-alive timeouts application servers default to (Node.js, Apache, uvicorn: 5 s): the node, not the
    /// application, ends an idle connection, and never sends a request on one the application is closing.
    /// </summary>
    public TimeSpan UpstreamKeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The memory the node must stay under, in bytes; 0 takes what the runtime sees as available (the container's
    /// limit, or the share of it the garbage collector's heap limit allows). From 85% of it requests are shed.
    /// </summary>
    public long MemoryLimit { get; init; }

    /// <summary>How long in-flight requests may run after SIGTERM before the node exits anyway.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>When the engine fails on a request: true forwards it (and records the failure), false answers 503.</summary>
    public bool FailOpen { get; init; } = true;

    /// <summary>Start the built-in echo application and send traffic there instead of <see cref="Upstream"/>.</summary>
    public bool Demo { get; init; }

    /// <summary>Client connections open at once on the proxy listener; past it new connections are closed at once.</summary>
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>How long a client may take to send a request's head (slowloris): then 408 and close.</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long an idle keep-alive connection stays open.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(75);

    /// <summary>Slowest request body accepted after a 5 s grace, in bytes per second (slow POST): then 408.</summary>
    public int MinRequestBodyRate { get; init; } = 240;

    /// <summary>The request-line, header and chunk sizes the front door enforces before inspection.</summary>
    public FrontDoor.FrontDoorLimits FrontDoor { get; init; } = new();

    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    public Microsoft.Extensions.Logging.LogLevel LogLevel { get; init; } = Microsoft.Extensions.Logging.LogLevel.Information;

    /// <summary>Routes of the policy (<c>routes:</c>), first match wins; requests matching none follow the settings above.</summary>
    public IReadOnlyList<Policy.RouteDefinition> Routes { get; init; } = [];

    /// <summary>Detectors turned off at points (<c>exclusions:</c>).</summary>
    public IReadOnlyList<Detection.Rules.Exclusion> Exclusions { get; init; } = [];

    /// <summary>Blocking rules (<c>virtual-patches:</c>).</summary>
    public IReadOnlyList<Detection.Rules.RequestRule> VirtualPatches { get; init; } = [];

    /// <summary>Rules under which detector findings do not count (<c>allow-rules:</c>).</summary>
    public IReadOnlyList<Detection.Rules.RequestRule> AllowRules { get; init; } = [];

    // ----- Management API and IP lists -----

    /// <summary>Address of the management listener (<c>/api/ip-lists</c>); off loopback it needs <see cref="AdminToken"/>.</summary>
    public ListenAddress ManagementListen { get; init; } = new(IPAddress.Loopback, 9902);

    /// <summary>The bearer token every management API request must carry; none by default (loopback only).</summary>
    public string? AdminToken { get; init; }

    /// <summary>IP list entries from the configuration file's <c>ip-lists</c> section (the graylist option adds gray ones).</summary>
    public IReadOnlyList<Access.IpListEntry> IpLists { get; init; } = [];

    /// <summary>Rate limits and brute-force rules (<c>rate-limits:</c>).</summary>
    public IReadOnlyList<RateLimiting.RateLimitRule> RateLimits { get; init; } = [];
    /// <summary>The SQLite attack log's file; empty: no attack log (events go to standard output only).</summary>
    public string AttackLog { get; init; } = "";

    /// <summary>Events older than this are deleted from the attack log.</summary>
    public TimeSpan AttackLogMaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>The attack log's database is kept under this many bytes by deleting the oldest events.</summary>
    public long AttackLogMaxSize { get; init; } = 256L << 20;

    /// <summary>The Redis replicas share state through; none by default (the password, if any, stays inside).</summary>
    public SharedState.RedisOptions? Redis { get; init; }

    /// <summary>Prefix of every Redis key.</summary>
    public string RedisKeyPrefix { get; init; } = SharedState.RedisOptions.DefaultKeyPrefix;

    /// <summary>A syslog collector events also go to; none by default.</summary>
    public Events.SyslogTarget? EventSyslog { get; init; }

    // ----- Country lists -----

    /// <summary>The MaxMind DB country database (<c>.mmdb</c>) country rules look addresses up in; empty: none.</summary>
    public string GeoIpDatabase { get; init; } = "";

    /// <summary>Country rules from the configuration file's <c>ip-lists.countries</c> (address entries decide first).</summary>
    public IReadOnlyList<Access.CountryListEntry> CountryLists { get; init; } = [];
}
