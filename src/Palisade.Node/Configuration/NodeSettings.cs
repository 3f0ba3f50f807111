using System.Net;
using Palisade.Detection.Engine;
using Palisade.Detection.Verdicts;
using Microsoft.Extensions.Logging;

namespace Palisade.Node.Configuration;

/// <summary>The catalogue of every node option. Help text, <c>docs/configuration.md</c> and the loader all read it.</summary>
public static class NodeSettings
{
    public static IReadOnlyList<NodeSetting> All { get; } =
    [
        new("listen", "HOST:PORT", "Address the node accepts application traffic on (a bare port means all interfaces).",
            (o, v) => o with { Listen = ListenAddress.Parse(v[0]) }, o => o.Listen.ToString()),
        new("upstream", "URL", "The application the node forwards legitimate requests to.",
            (o, v) => o with { Upstream = ParseUpstream(v[0]) }, o => o.Upstream.GetLeftPart(UriPartial.Authority)),
        new("admin-listen", "HOST:PORT", "Address of the read-only admin listener: /healthz, /readyz, /metrics.",
            (o, v) => o with { AdminListen = ListenAddress.Parse(v[0]) }, o => o.AdminListen.ToString()),
        new("mode", "MODE", "off (no inspection), monitoring (log attacks, never block), safe_blocking (block attacks from graylisted sources), block.",
            (o, v) => o with { Mode = ParseMode(v[0]) }, o => o.Mode.ToName()),
        new("graylist", "CIDR,...", "Sources whose attacks are blocked in safe_blocking mode (IPv4/IPv6 addresses or CIDRs).",
            (o, v) => o with { Graylist = ParseNetworks(v) }, o => FormatNetworks(o.Graylist), SettingKind.List),
        new("trusted-proxies", "CIDR,...", "Peers whose X-Forwarded-For / X-Forwarded-Proto are believed when finding the client address. None by default.",
            (o, v) => o with { TrustedProxies = ParseNetworks(v) }, o => FormatNetworks(o.TrustedProxies), SettingKind.List),
        new("inspection-limit", "SIZE", "Body bytes buffered and inspected before anything is forwarded (e.g. 1MiB, 256KiB).",
            (o, v) => o with { InspectionLimit = ParseLimit(v[0]) }, o => ByteSize.Format(o.InspectionLimit)),
        new("oversize-policy", "POLICY", "For bodies over the inspection limit: inspect-prefix-and-pass (inspect the first bytes, forward all) or reject (413).",
            (o, v) => o with { OversizePolicy = ParseOversize(v[0]) }, o => o.OversizePolicy == OversizePolicy.Reject ? "reject" : "inspect-prefix-and-pass"),
        new("overlimit-policy", "POLICY", "For requests that exhaust an inspection budget (decode depth, decoded or decompressed size, values): block (an overlimit attack) or pass (inspect what fits).",
            (o, v) => o with { OverlimitPolicy = ParseOverlimit(v[0]) }, o => o.OverlimitPolicy == OverlimitPolicy.Pass ? "pass" : "block"),
        new("inspection-time-budget", "DURATION", "Wall-clock time one request's inspection may take before it is an overlimit finding (0s: no budget; inspection takes microseconds, so only adversarial input or a starved CPU reaches one).",
            (o, v) => o with { InspectionTimeBudget = Duration.Parse(v[0]) }, o => Duration.Format(o.InspectionTimeBudget)),
        new("max-request-line", "SIZE", "Longest request line (method, target, version) the front door accepts; longer is 414.",
            (o, v) => o with { FrontDoor = o.FrontDoor with { MaxRequestLineBytes = ParseSize(v[0], 256, 64 * 1024, "the request line limit") } }, o => ByteSize.Format(o.FrontDoor.MaxRequestLineBytes)),
        new("max-header-size", "SIZE", "Most bytes of header fields (with their line ends) the front door accepts; more is 431.",
            (o, v) => o with { FrontDoor = o.FrontDoor with { MaxHeaderBytes = ParseSize(v[0], 1024, 1024 * 1024, "the header size limit") } }, o => ByteSize.Format(o.FrontDoor.MaxHeaderBytes)),
        new("max-header-count", "COUNT", "Most header fields the front door accepts (1-1000); more is 431.",
            (o, v) => o with { FrontDoor = o.FrontDoor with { MaxHeaderCount = NodeSetting.ParseInt(v[0], 1, 1000) } }, o => o.FrontDoor.MaxHeaderCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("max-connections", "COUNT", "Client connections open at once (1-1000000); past it new ones are closed at once, so file descriptors stay bounded.",
            (o, v) => o with { MaxConnections = NodeSetting.ParseInt(v[0], 1, 1_000_000) }, o => o.MaxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("request-headers-timeout", "DURATION", "How long a client may take to send a request head (slowloris) before 408 and close.",
            (o, v) => o with { RequestHeadersTimeout = ParsePositive(v[0]) }, o => Duration.Format(o.RequestHeadersTimeout)),
        new("keep-alive-timeout", "DURATION", "How long an idle keep-alive connection stays open.",
            (o, v) => o with { KeepAliveTimeout = ParsePositive(v[0]) }, o => Duration.Format(o.KeepAliveTimeout)),
        new("min-request-body-rate", "BYTES/S", "Slowest request body accepted after a 5 s grace (slow POST), in bytes per second; 0 turns the check off.",
            (o, v) => o with { MinRequestBodyRate = NodeSetting.ParseInt(v[0], 0, 1 << 30) }, o => o.MinRequestBodyRate.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("block-status", "CODE", "Status code of the block response (400-599).",
            (o, v) => o with { BlockStatus = NodeSetting.ParseInt(v[0], 400, 599) }, o => o.BlockStatus.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("upstream-timeout", "DURATION", "How long an exchange may make no progress: the application silent before it answers (504) or mid-body, or a client reading nothing of the response (a slow read, dropped).",
            (o, v) => o with { UpstreamTimeout = ParsePositive(v[0]) }, o => Duration.Format(o.UpstreamTimeout)),
        new("upstream-connect-timeout", "DURATION", "How long connecting to the application may take before the node answers 502.",
            (o, v) => o with { UpstreamConnectTimeout = ParsePositive(v[0]) }, o => Duration.Format(o.UpstreamConnectTimeout)),
        new("upstream-keep-alive-timeout", "DURATION", "How long an idle connection to the application is kept for reuse; keep it below the application's own keep-alive timeout.",
            (o, v) => o with { UpstreamKeepAliveTimeout = ParsePositive(v[0]) }, o => Duration.Format(o.UpstreamKeepAliveTimeout)),
        new("memory-limit", "SIZE", "Memory the node stays under: from 85% of it new connections are refused and new requests answered 503 with Retry-After until it is back under 75% (0: the container's limit as the runtime sees it).",
            (o, v) => o with { MemoryLimit = ParseMemoryLimit(v[0]) }, o => o.MemoryLimit == 0 ? "0" : ByteSize.Format(o.MemoryLimit)),
        new("drain-timeout", "DURATION", "After SIGTERM, how long in-flight requests may finish before the node exits.",
            (o, v) => o with { DrainTimeout = Duration.Parse(v[0]) }, o => Duration.Format(o.DrainTimeout)),
        new("fail-open", "BOOL", "If the engine fails on a request: true forwards it (recorded as an error), false answers 503.",
            (o, v) => o with { FailOpen = NodeSetting.ParseBool(v[0]) }, o => o.FailOpen ? "true" : "false", SettingKind.Switch),
        new("demo", "BOOL", "Start a built-in echo application and forward to it (blocks attacks unless mode is set).",
            (o, v) => o with { Demo = NodeSetting.ParseBool(v[0]) }, o => o.Demo ? "true" : "false", SettingKind.Switch),
        new("log-format", "FORMAT", "Operational logs on standard error: text or json. Attack events are always JSON lines on standard output.",
            (o, v) => o with { LogFormat = ParseLogFormat(v[0]) }, o => o.LogFormat == LogFormat.Json ? "json" : "text"),
        new("log-level", "LEVEL", "Least severe operational log level: debug, information, warning, error.",
            (o, v) => o with { LogLevel = ParseLogLevel(v[0]) }, o => o.LogLevel.ToString().ToLowerInvariant()),
        // Management API
        new("management-listen", "HOST:PORT", "Address of the management API (/api/ip-lists); anything but loopback requires admin-token.",
            (o, v) => o with { ManagementListen = ListenAddress.Parse(v[0]) }, o => o.ManagementListen.ToString()),
        new("admin-token", "TOKEN", "Bearer token the management API requires (Authorization: Bearer TOKEN); none by default. Prefer the environment variable to a flag.",
            (o, v) => o with { AdminToken = ParseToken(v[0]) }, o => o.AdminToken is null ? "" : "(set)"),
        new("attack-log", "PATH", "SQLite file the attack log stores events in, for the admin API to query (empty: off; events always go to standard output too). Off by default because the sidecar's root file system is read-only: give it a writable volume (the injector should mount an emptyDir, e.g. at /var/lib/palisade) and point this at a file there, e.g. /var/lib/palisade/attacks.db. If the file cannot be opened the node still starts, logs why, and palisade_attack_log_up is 0.",
            (o, v) => o with { AttackLog = v[0].Trim() }, o => o.AttackLog),
        new("attack-log-max-age", "DURATION", "Events older than this are deleted from the attack log (checked every minute).",
            (o, v) => o with { AttackLogMaxAge = ParsePositive(v[0]) }, o => Duration.Format(o.AttackLogMaxAge)),
        new("attack-log-max-size", "SIZE", "The attack log's database is kept under this size (at least 1MiB) by deleting the oldest events (checked every minute).",
            (o, v) => o with { AttackLogMaxSize = ParseAttackLogSize(v[0]) }, o => ByteSize.Format(o.AttackLogMaxSize)),
        new("redis", "CONNECTION", "Redis that replicas share rate-limit counters, run-time IP list entries and the event stream through (host:port[,password=...]; empty: each node on its own). Without Redis the node keeps working from memory and reconnects by itself.",
            (o, v) => o with { Redis = v[0].Trim().Length == 0 ? null : SharedState.RedisOptions.Parse(v[0].Trim()) }, o => o.Redis is null ? "" : o.Redis.Describe()),
        new("redis-key-prefix", "PREFIX", "Prefix of every Redis key: the replicas of one application share one; applications sharing a Redis each need their own.",
            (o, v) => o with { RedisKeyPrefix = ParseKeyPrefix(v[0]) }, o => o.RedisKeyPrefix),
        new("event-syslog", "URL", "Also send events to a syslog collector: udp://HOST:PORT (RFC 5426) or tcp://HOST:PORT (RFC 6587 octet counting), as RFC 5424 messages with the event's JSON (empty: off).",
            (o, v) => o with { EventSyslog = v[0].Trim().Length == 0 ? null : Events.SyslogTarget.Parse(v[0].Trim()) }, o => o.EventSyslog?.ToString() ?? ""),
        // Country lists
        new("geoip-database", "PATH", "A country database in MaxMind DB format (.mmdb: GeoLite2-Country, DB-IP country lite) for the countries of ip-lists (empty: off). Opened once at start; if it is missing or corrupt the node still starts, logs why, country rules match nothing and palisade_geoip_database_up is 0.",
            (o, v) => o with { GeoIpDatabase = v[0].Trim() }, o => o.GeoIpDatabase),
    ];

    public static NodeSetting? Find(string key) =>
        All.FirstOrDefault(s => string.Equals(s.Key, key, StringComparison.OrdinalIgnoreCase));

    private static Uri ParseUpstream(string text)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException($"'{text}' is not an http:// or https:// URL");
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0)
        {
            throw new FormatException($"'{text}' must not have a path or query: the request-target is forwarded as received");
        }

        return new Uri(uri.GetLeftPart(UriPartial.Authority));
    }

    internal static EnforcementMode ParseMode(string text) =>
        EnforcementModeNames.TryParse(text, out var mode)
            ? mode.Value
            : throw new FormatException($"'{text}' is not a mode: use one of {string.Join(", ", EnforcementModeNames.All)}");

    private static IPNetwork[] ParseNetworks(IReadOnlyList<string> values) =>
        values.Select(v =>
        {
            if (IPNetwork.TryParse(v, out var network))
            {
                return network;
            }

            if (IPAddress.TryParse(v, out var address))
            {
                return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            }

            throw new FormatException($"'{v}' is not an IP address or CIDR (10.0.0.0/8, 2001:db8::/32)");
        }).ToArray();

    private static string FormatNetworks(IReadOnlyList<IPNetwork> networks) =>
        networks.Count == 0 ? "" : string.Join(",", networks);

    private static int ParseSize(string text, int min, int max, string what)
    {
        var bytes = ByteSize.Parse(text);
        return bytes >= min && bytes <= max
            ? (int)bytes
            : throw new FormatException($"'{text}' is out of range: {what} is between {ByteSize.Format(min)} and {ByteSize.Format(max)}");
    }

    internal static long ParseLimit(string text)
    {
        var bytes = ByteSize.Parse(text);
        return bytes is > 0 and <= 512L << 20
            ? bytes
            : throw new FormatException($"'{text}' is out of range: the inspection limit is between 1 byte and 512MiB");
    }

    private static long ParseMemoryLimit(string text)
    {
        var bytes = ByteSize.Parse(text);
        return bytes == 0 || bytes >= 16L << 20
            ? bytes
            : throw new FormatException($"'{text}' is out of range: the memory limit is 0 (the container's) or at least 16MiB");
    }

    private static string ParseKeyPrefix(string text)
    {
        var prefix = text.Trim();
        return prefix.Length is > 0 and <= 64 && !prefix.Any(char.IsWhiteSpace)
            ? prefix
            : throw new FormatException($"'{text}' is not a key prefix: 1 to 64 characters without spaces");
    }

    private static long ParseAttackLogSize(string text)
    {
        var bytes = ByteSize.Parse(text);
        return bytes >= 1L << 20
            ? bytes
            : throw new FormatException($"'{text}' is out of range: the attack log's size is at least 1MiB");
    }

    internal static OversizePolicy ParseOversize(string text) => text.Trim().ToLowerInvariant() switch
    {
        "inspect-prefix-and-pass" => OversizePolicy.InspectPrefixAndPass,
        "reject" => OversizePolicy.Reject,
        _ => throw new FormatException($"'{text}' is not a policy: use inspect-prefix-and-pass or reject"),
    };

    internal static OverlimitPolicy ParseOverlimit(string text) => text.Trim().ToLowerInvariant() switch
    {
        "block" => OverlimitPolicy.Block,
        "pass" => OverlimitPolicy.Pass,
        _ => throw new FormatException($"'{text}' is not a policy: use block or pass"),
    };

    private static TimeSpan ParsePositive(string text)
    {
        var value = Duration.Parse(text);
        return value > TimeSpan.Zero ? value : throw new FormatException($"'{text}' must be longer than zero");
    }

    private static LogFormat ParseLogFormat(string text) => text.Trim().ToLowerInvariant() switch
    {
        "text" => LogFormat.Text,
        "json" => LogFormat.Json,
        _ => throw new FormatException($"'{text}' is not a log format: use text or json"),
    };

    private static string? ParseToken(string text)
    {
        var token = text.Trim();
        return token.Length switch
        {
            0 => null,
            < 16 => throw new FormatException("the admin token must be at least 16 characters"),
            _ => token.Any(c => c <= ' ' || c > '~') ? throw new FormatException("the admin token must be printable ASCII without spaces") : token,
        };
    }

    private static LogLevel ParseLogLevel(string text) => text.Trim().ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "information" or "info" => LogLevel.Information,
        "warning" or "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" => LogLevel.Critical,
        _ => throw new FormatException($"'{text}' is not a log level: use debug, information, warning or error"),
    };
}
