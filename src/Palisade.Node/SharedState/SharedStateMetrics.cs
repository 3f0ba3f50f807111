using Prometheus;

namespace Palisade.Node.SharedState;

/// <summary>
/// The shared state's metrics, in the node's registry: whether Redis is reachable, failed operations by kind
/// (a fixed set of label values) and events dropped on their way to the shared stream.
/// </summary>
public sealed class SharedStateMetrics
{
    /// <summary>The values the <c>operation</c> label takes.</summary>
    public static readonly IReadOnlyList<string> Operations = ["connect", "counter", "ip_list", "ip_subscribe", "events_append", "events_read"];

    private readonly Gauge _up;
    private readonly Counter _errors;
    private readonly Counter _eventsDropped;
    private readonly Counter.Child[] _errorsByOperation;
    private readonly (Counter.Child Stored, Counter.Child Message) _ipRejected;

    public SharedStateMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _up = factory.CreateGauge("palisade_redis_up", "1 while the node is connected to the shared-state Redis, 0 otherwise.");
        _errors = factory.CreateCounter("palisade_redis_errors_total", "Shared-state Redis operations that failed (unreachable, timed out, refused), by operation.", "operation");
        _eventsDropped = factory.CreateCounter("palisade_redis_events_dropped_total", "Attack events not appended to the shared stream: Redis unreachable or too many appends in flight.");
        _errorsByOperation = new Counter.Child[Operations.Count];
        for (var i = 0; i < _errorsByOperation.Length; i++)
        {
            _errorsByOperation[i] = _errors.WithLabels(Operations[i]);
        }

        _ipRejected = CreateIpRejected(factory);
    }

    internal double Up => _up.Value;

    internal double EventsDropped => _eventsDropped.Value;

    internal void SetUp(bool up) => _up.Set(up ? 1 : 0);

    internal void CountError(SharedStateOperation operation) => _errorsByOperation[(int)operation].Inc();

    internal void CountEventDropped() => _eventsDropped.Inc();

    internal double Errors(SharedStateOperation operation) => _errorsByOperation[(int)operation].Value;

    internal void CountIpEntryRejected(bool stored) => (stored ? _ipRejected.Stored : _ipRejected.Message).Inc();

    internal double IpEntriesRejected(bool stored) => (stored ? _ipRejected.Stored : _ipRejected.Message).Value;

    // Shared IP list entries refused because a field is not valid: stored in the hash, or in a change message.
    private static (Counter.Child Stored, Counter.Child Message) CreateIpRejected(MetricFactory factory)
    {
        var counter = factory.CreateCounter(
            "palisade_shared_ip_entries_rejected_total",
            "Shared IP list entries refused because a field is not valid (list, network, reason, expiry, origin, operation), by where they were read: stored or message.",
            ["source"]);
        return (counter.WithLabels("stored"), counter.WithLabels("message"));
    }
}
