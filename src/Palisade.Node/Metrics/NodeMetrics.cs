using Palisade.Detection.Findings;
using Palisade.Node.Events;
using Prometheus;

namespace Palisade.Node.Metrics;

/// <summary>
/// The node's Prometheus metrics in a registry of its own (so several nodes can live in one process, as in
/// tests). Label values are fixed enums resolved once, keeping cardinality bounded and the hot path cheap.
/// </summary>
public sealed class NodeMetrics
{
    private static readonly string[] OutcomeNames = ["pass", "monitor", "block", "reject", "error"];
    private static readonly string[] UpstreamErrorNames = ["connect", "timeout", "response", "request_body", "client_aborted", "client_stalled", "other"];

    private readonly Counter.Child[] _requests;
    private readonly Counter.Child[] _attacks;
    private readonly Counter.Child[] _upstreamErrors;
    private readonly Counter.Child[] _protocolViolations;
    private readonly Histogram _inspectionDuration;
    private readonly Histogram _inspectionWait;
    private readonly Counter _inspectionFailures;
    private readonly Counter _eventsDropped;
    private readonly Gauge _attackLogUp;
    private readonly Gauge _attackLogSize;
    private readonly Counter _attackLogRetentionFailures;
    private readonly Counter _upstreamRetries;
    private readonly Counter _shed;
    private readonly Gauge _memoryUsed;
    private readonly Gauge _memoryLimit;
    private readonly Gauge _memoryShedding;
    private readonly Gauge _bodyBuffers;
    private readonly Counter _oversize;
    private readonly Gauge _inFlight;
    private readonly Gauge _draining;
    private readonly Gauge _info;
    private string? _mode;

    public NodeMetrics(string mode)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);

        var requests = factory.CreateCounter("palisade_requests_total", "Requests by what the node did with them.", "action");
        _requests = OutcomeNames.Select(n => requests.WithLabels(n)).ToArray();

        var attacks = factory.CreateCounter("palisade_attacks_total", "Attacked requests by attack type (a request with two types counts once for each).", "type");
        _attacks = AttackTypeNames.All.Select(t => attacks.WithLabels(t.ToName())).ToArray();

        var upstream = factory.CreateCounter("palisade_upstream_errors_total", "Failures while forwarding to the application.", "kind");
        _upstreamErrors = UpstreamErrorNames.Select(n => upstream.WithLabels(n)).ToArray();

        var violations = factory.CreateCounter("palisade_protocol_violations_total", "Requests the front door refused before inspection, by reason (in every mode).", "reason");
        _protocolViolations = FrontDoor.ProtocolViolations.All.Select(v => violations.WithLabels(FrontDoor.ProtocolViolations.Code(v))).ToArray();

        _inspectionDuration = factory.CreateHistogram("palisade_inspection_duration_seconds", "Time the engine spent inspecting a request.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.000_002, 2, 16) });
        _inspectionWait = factory.CreateHistogram("palisade_inspection_queue_seconds", "Time a request waited for its inspection cohort (only requests queued while the node was saturated).",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.000_010, 2, 16) });
        _inspectionFailures = factory.CreateCounter("palisade_inspection_failures_total", "Requests the engine failed on (handled by the fail-open setting).");
        _upstreamRetries = factory.CreateCounter("palisade_upstream_retries_total", "Idempotent requests sent again because the application closed a reused connection before answering.");
        _shed = factory.CreateCounter("palisade_load_shed_total", "Requests answered 503 because memory was near the limit.");
        _memoryUsed = factory.CreateGauge("palisade_memory_used_bytes", "Managed heap size after the last collection, as the memory guard last read it.");
        _memoryLimit = factory.CreateGauge("palisade_memory_limit_bytes", "The memory limit the guard keeps the node under.");
        _bodyBuffers = factory.CreateGauge("palisade_body_buffer_bytes", "Bytes reserved by inspection buffers (bounded to half the memory limit).");
        _memoryShedding = factory.CreateGauge("palisade_memory_shedding", "1 while new requests are shed because memory is near the limit.");
        _eventsDropped = factory.CreateCounter("palisade_events_dropped_total", "Events a sink never wrote, by sink (stdout, sqlite) and reason (queue_full: its queue was full; write_failed: the write failed).", "sink", "reason");
        _attackLogUp = factory.CreateGauge("palisade_attack_log_up", "1 while the SQLite attack log is open and its last write succeeded; 0 when it is off or failing.");
        _attackLogSize = factory.CreateGauge("palisade_attack_log_size_bytes", "Size of the SQLite attack log's database (page count times page size) at its last retention pass.");
        _attackLogRetentionFailures = factory.CreateCounter("palisade_attack_log_retention_failures_total", "Retention passes of the SQLite attack log that failed (the events already stored are kept).");
        _oversize = factory.CreateCounter("palisade_oversize_bodies_total", "Requests whose body exceeded the inspection limit.");
        _inFlight = factory.CreateGauge("palisade_requests_in_flight", "Requests being handled right now.");
        _draining = factory.CreateGauge("palisade_draining", "1 while the node drains after SIGTERM.");
        // What the process has allocated since it started: the robustness bench divides it by the requests sent to
        // compare the memory an input costs with a clean request's.
        var allocated = factory.CreateCounter("dotnet_gc_allocated_bytes_total", "Bytes the process has allocated on the managed heap since it started.");
        Registry.AddBeforeCollectCallback(() => allocated.IncTo(GC.GetTotalAllocatedBytes()));
        _info = factory.CreateGauge("palisade_info", "Information about this node: its version and the global mode in force.", "version", "mode");
        SetMode(mode);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>The global mode shown by <c>palisade_info</c> (it changes on a reload).</summary>
    public void SetMode(string mode)
    {
        var version = typeof(NodeMetrics).Assembly.GetName().Version?.ToString(3) ?? "0";
        if (_mode is not null && _mode != mode)
        {
            _info.RemoveLabelled(version, _mode);
        }

        _mode = mode;
        _info.WithLabels(version, mode).Set(1);
    }

    public void CountRequest(RequestOutcome outcome) => _requests[(int)outcome].Inc();

    public void CountAttack(AttackType type) => _attacks[(int)type].Inc();

    public void CountUpstreamError(UpstreamErrorKind kind) => _upstreamErrors[(int)kind].Inc();

    public void CountUpstreamRetry() => _upstreamRetries.Inc();

    public void CountShed() => _shed.Inc();

    public void SetMemory(long used, long limit, long buffers, bool shedding)
    {
        _memoryUsed.Set(used);
        _bodyBuffers.Set(buffers);
        _memoryLimit.Set(limit);
        _memoryShedding.Set(shedding ? 1 : 0);
    }

    /// <summary>A request the front door refused, by reason.</summary>
    public void CountProtocolViolation(FrontDoor.ProtocolViolation violation) => _protocolViolations[(int)violation].Inc();

    public void ObserveInspection(TimeSpan elapsed) => _inspectionDuration.Observe(elapsed.TotalSeconds);

    public void ObserveInspectionWait(TimeSpan waited) => _inspectionWait.Observe(waited.TotalSeconds);

    public void CountInspectionFailure() => _inspectionFailures.Inc();

    /// <summary>The drop counter of one sink and reason; resolved once by the sink's queue.</summary>
    public Counter.Child EventsDropped(string sink, EventDropReason reason) => _eventsDropped.WithLabels(sink, reason.ToName());

    public void SetAttackLogUp(bool up) => _attackLogUp.Set(up ? 1 : 0);

    public void SetAttackLogSize(long bytes) => _attackLogSize.Set(bytes);

    public void CountAttackLogRetentionFailure() => _attackLogRetentionFailures.Inc();

    /// <summary>Retention passes of the attack log that failed.</summary>
    public double AttackLogRetentionFailures => _attackLogRetentionFailures.Value;

    public void CountOversize() => _oversize.Inc();

    public void RequestStarted() => _inFlight.Inc();

    public void RequestFinished() => _inFlight.Dec();

    public void SetDraining() => _draining.Set(1);

    // ----- IP access lists (palisade_ip_list_*): created on first use, labels bounded to allow, deny, gray -----

    private readonly Lock _ipListsGate = new();
    private IpListMetrics? _ipLists;

    /// <summary>Entries on one list right now (<c>palisade_ip_list_entries{list}</c>).</summary>
    public void SetIpListEntries(Access.IpListKind kind, int count) => IpLists.Entries[(int)kind].Set(count);

    /// <summary>A request whose source an IP list decided (<c>palisade_ip_list_matches_total{list}</c>).</summary>
    public void CountIpListMatch(Access.IpListKind kind) => IpLists.Matches[(int)kind].Inc();

    private IpListMetrics IpLists => Volatile.Read(ref _ipLists) ?? CreateIpListMetrics();

    private IpListMetrics CreateIpListMetrics()
    {
        lock (_ipListsGate)
        {
            return _ipLists ??= new IpListMetrics(Prometheus.Metrics.WithCustomRegistry(Registry));
        }
    }

    private sealed class IpListMetrics
    {
        public IpListMetrics(IMetricFactory factory)
        {
            // Indexed by IpListKind: Allow, Deny, Gray.
            string[] lists = ["allow", "deny", "gray"];
            var entries = factory.CreateGauge("palisade_ip_list_entries", "Entries on each IP list (configuration and management API).", ["list"]);
            var matches = factory.CreateCounter("palisade_ip_list_matches_total", "Requests whose source address an IP list decided, by list.", ["list"]);
            Entries = lists.Select(l => entries.WithLabels(l)).ToArray();
            Matches = lists.Select(l => matches.WithLabels(l)).ToArray();
        }

        public Gauge.Child[] Entries { get; }

        public Counter.Child[] Matches { get; }
    }

    // ---- Rate limiting (RateLimiting/RateLimiter). Kept apart from the metrics above; the label values are rule
    // names, bounded by the configuration. Creating a family again returns the existing one, so no field is needed.

    /// <summary>Requests a rate-limit rule refused, by action (<c>reject</c>, <c>graylist</c>).</summary>
    public Counter.Child RateLimitHits(string rule, RateLimiting.RateLimitAction action) =>
        Prometheus.Metrics.WithCustomRegistry(Registry)
            .CreateCounter("palisade_rate_limit_hits_total", "Requests refused by a rate-limit rule, by rule and action.", "rule", "action")
            .WithLabels(rule, action == RateLimiting.RateLimitAction.Graylist ? "graylist" : "reject");

    /// <summary>Keys a rate-limit rule dropped from its table, by reason (<c>expired</c>, <c>lru</c>).</summary>
    public Counter.Child RateLimitEvictions(string rule, string reason) =>
        Prometheus.Metrics.WithCustomRegistry(Registry)
            .CreateCounter("palisade_rate_limit_evictions_total", "Keys dropped from a rate-limit rule's table when it was full: expired ones, then the least recently used (lru, whose counts are lost).", "rule", "reason")
            .WithLabels(rule, reason);

    /// <summary>Keys a rate-limit rule tracks now.</summary>
    public Gauge.Child RateLimitKeys(string rule) =>
        Prometheus.Metrics.WithCustomRegistry(Registry)
            .CreateGauge("palisade_rate_limit_keys", "Keys (clients, users, tokens) a rate-limit rule tracks now.", "rule")
            .WithLabels(rule);
}
