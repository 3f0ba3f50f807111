using Microsoft.Extensions.Logging;
using Palisade.Node.Metrics;

namespace Palisade.Node.Lifecycle;

/// <summary>
/// Sheds load before the process reaches its memory limit, so that the kernel never OOM-kills the pod's WAF (and
/// with it the in-flight requests). Two bounds:
/// <list type="bullet">
/// <item>The managed heap's size after the last collection (where every buffer of the node lives) is sampled twenty
/// times a second; from 85% of the limit, new connections are closed at once and every new request on an open one is
/// answered 503 with <c>Retry-After</c> before a byte of its body is read, until the heap is below 75% or no request
/// holds an inspection buffer any more. Entering the
/// state runs a compacting, decommitting collection, and one runs every second while it lasts, so that what
/// in-flight requests free is seen and given back. (The resident set would not do: the runtime keeps memory it
/// freed, so it would not fall, and shedding would never end.)</item>
/// <item>Inspection buffers, which grow faster than any sampling sees when many bodies arrive at once, are held to
/// a quarter of the limit by <see cref="BodyBufferBudget"/> (with what their inspection takes): a request whose buffer
/// does not fit is shed the same way.</item>
/// </list>
/// Envoy's overload manager sheds at 95%/98% of a heap its allocator counts byte by byte; the node starts earlier
/// because it samples a garbage-collected heap, which a flood of uploads fills between two samples.
/// </summary>
public sealed partial class MemoryGuard : IDisposable
{
    /// <summary>Share of the limit from which requests are shed.</summary>
    public const double ShedAt = 0.85;

    /// <summary>Share of the limit below which shedding stops.</summary>
    public const double ResumeBelow = 0.75;

    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan CollectionInterval = TimeSpan.FromSeconds(1);

    private Func<long> _used;
    private readonly NodeMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly TimeProvider _time;
    private long _lastCollection;
    private readonly Lock _sampling = new();
    private volatile bool _shedding;

    /// <param name="limit">The memory limit in bytes.</param>
    /// <param name="used">Reads the memory in use (the node: the managed heap's size after the last collection).</param>
    /// <param name="time">The clock the sampling timer runs on.</param>
    /// <param name="metrics">Where the memory gauges go.</param>
    /// <param name="logger">Where state changes are logged.</param>
    public MemoryGuard(long limit, Func<long> used, TimeProvider time, NodeMetrics metrics, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentNullException.ThrowIfNull(time);
        Limit = limit;
        Buffers = BodyBufferBudget.For(limit);
        _time = time;
        _used = used;
        _metrics = metrics;
        _logger = logger;
        Sample();
        _timer = time.CreateTimer(static state => ((MemoryGuard)state!).Sample(), this, Interval, Interval);
    }

    /// <summary>The limit the guard keeps under.</summary>
    public long Limit { get; }

    /// <summary>The bytes inspection buffers may hold together: a quarter of the limit.</summary>
    public BodyBufferBudget Buffers { get; }

    /// <summary>True while new requests are to be answered 503.</summary>
    public bool IsShedding => _shedding;

    /// <summary>
    /// The limit when none is configured: what the runtime sees as available, which is the container's memory
    /// limit (or the share of it the garbage collector's heap limit allows) and the machine's memory outside a container.
    /// </summary>
    public static long DefaultLimit() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>
    /// The next state: shedding starts at <see cref="ShedAt"/> of the limit, and stops below <see cref="ResumeBelow"/>,
    /// or once no request holds an inspection buffer any more (<paramref name="buffered"/> is 0): what is left then is
    /// the node's baseline and the memory its pools keep for reuse, which serving more requests does not grow.
    /// </summary>
    public static bool NextState(bool shedding, long used, long limit, long buffered) =>
        shedding ? used >= limit * ResumeBelow && buffered > 0 : used >= limit * ShedAt;

    /// <summary>Reads the memory in use and changes state if it crossed a threshold (the timer calls it; tests may too).</summary>
    public void Sample()
    {
        lock (_sampling)
        {
            if (_shedding && _time.GetElapsedTime(_lastCollection) >= CollectionInterval)
            {
                // While shedding, what in-flight requests free only shows (and only goes back) after a collection.
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
                _lastCollection = _time.GetTimestamp();
            }

            var used = _used();
            var next = NextState(_shedding, used, Limit, Buffers.Reserved);
            _metrics.SetMemory(used, Limit, Buffers.Reserved, next);
            if (next == _shedding)
            {
                return;
            }

            _shedding = next;
            if (next)
            {
                Log.SheddingStarted(_logger, used, Limit);

                // Give back what finished requests freed: a blocking, compacting collection that decommits (at most
                // once a second, however often the state changes).
                if (_time.GetElapsedTime(_lastCollection) >= CollectionInterval)
                {
                    GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                    _lastCollection = _time.GetTimestamp();
                }
            }
            else
            {
                Log.SheddingStopped(_logger, used, Limit);
            }
        }
    }

    public void Dispose() => _timer.Dispose();

    /// <summary>Reads memory from <paramref name="used"/> from now on (tests drive a node's guard through both thresholds).</summary>
    internal void SetProbe(Func<long> used)
    {
        lock (_sampling)
        {
            _used = used;
        }
    }
}
