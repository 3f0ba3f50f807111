using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Palisade.Node.RateLimiting;

/// <summary>
/// The counters of one rule: per key, a sliding window approximated by two fixed windows. A key's estimate is
/// <c>previous × (1 − elapsed fraction of the current window) + current</c>, and a key is over the limit when the
/// estimate has reached it.
/// <para>
/// Why not an exact sliding log: a log keeps one timestamp per counted request, so a rule of 1,000 per minute with
/// 100,000 keys could hold 100 million timestamps, and every check walks or trims it. The two-window counter keeps
/// three numbers per key whatever the limit, and a check is O(1) under the key's own lock. Its error: within one
/// aligned window a key never gets more than <c>limit</c> (the estimate is at least the current count), so the
/// limit holds exactly there; across a window edge the estimate assumes the previous window's requests were
/// evenly spread, and in the worst case (all of them at its very end) any interval of one window's length
/// admits at most <c>2 × limit</c>. For traffic spread evenly the estimate is exact.
/// </para>
/// <para>
/// Time is the monotonic <see cref="TimeProvider.GetTimestamp"/>, never the wall clock: a clock step neither
/// resets nor trips a limit. Windows are numbered from the store's creation, so a store carried over to a
/// reloaded rule set keeps its windows and counts.
/// </para>
/// <para>
/// Memory: at most <see cref="RateLimitRule.MaxKeys"/> keys (plus those being added by concurrent threads at
/// that moment). A new key arriving at the bound sweeps the table: keys whose last window has passed (their
/// counts can no longer matter) go first, then the least recently seen until the table is at 90% of the bound.
/// A sweep is O(keys) once per tenth of the bound of new keys, so O(1) amortized per request. Keys are at most
/// <see cref="RateLimitKeyReader.MaxKeyLength"/> characters (longer ones are hashed). A request that looked its
/// key up just before a sweep dropped it counts into the dropped entry and is lost: a sweep only drops expired
/// or least recently seen keys, so this is rare and errs towards admitting.
/// </para>
/// </summary>
internal sealed class RateLimitCounterStore
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly long _windowTicks;
    private readonly int _maxKeys;
    private readonly string _ruleName;
    private readonly ILogger _logger;
    private readonly Lock _sweepLock = new();
    private RateLimitRuleMetrics? _metrics;
    private int _count;
    private long _expiredEvictions;
    private long _lruEvictions;

    public RateLimitCounterStore(RateLimitRule rule, TimeProvider time, ILogger logger)
    {
        _time = time;
        _logger = logger;
        _ruleName = rule.Name;
        _maxKeys = rule.MaxKeys;
        _origin = time.GetTimestamp();
        _windowTicks = Math.Max(1, (long)Math.Round(rule.Window.TotalSeconds * time.TimestampFrequency));
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Keys held now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Keys dropped because their windows had passed.</summary>
    public long ExpiredEvictions => Interlocked.Read(ref _expiredEvictions);

    /// <summary>Keys dropped while still counting, because the table was full of live keys.</summary>
    public long LruEvictions => Interlocked.Read(ref _lruEvictions);

    /// <summary>Reports key counts and evictions to these metrics from now on (null: stop).</summary>
    public void AttachMetrics(RateLimitRuleMetrics? metrics)
    {
        var previous = Interlocked.Exchange(ref _metrics, metrics);
        previous?.Keys.Dec(Count);
        metrics?.Keys.Inc(Count);
    }

    /// <summary>
    /// A <see cref="RateLimitKind.Requests"/> hit: counts it and returns true when the key is under the limit;
    /// otherwise counts nothing and returns false with the time until the key would be let in.
    /// </summary>
    public bool TryAcquire(ReadOnlySpan<char> key, int limit, out TimeSpan retryAfter)
    {
        var now = _time.GetTimestamp();
        var entry = GetOrAdd(key, now);
        lock (entry)
        {
            var offset = Roll(entry, now);
            entry.LastSeen = now;
            if (UnderLimit(entry, offset, limit))
            {
                entry.Current++;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = RetryAfter(entry, offset, limit);
            return false;
        }
    }

    /// <summary>A <see cref="RateLimitKind.Failures"/> check: true when the key's count has reached the limit. Adds no key.</summary>
    public bool IsOver(ReadOnlySpan<char> key, int limit, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_lookup.TryGetValue(key, out var entry))
        {
            return false;
        }

        var now = _time.GetTimestamp();
        lock (entry)
        {
            var offset = Roll(entry, now);
            entry.LastSeen = now;
            if (UnderLimit(entry, offset, limit))
            {
                return false;
            }

            retryAfter = RetryAfter(entry, offset, limit);
            return true;
        }
    }

    /// <summary>Counts one failure for the key.</summary>
    public void Add(ReadOnlySpan<char> key)
    {
        var now = _time.GetTimestamp();
        var entry = GetOrAdd(key, now);
        lock (entry)
        {
            Roll(entry, now);
            entry.LastSeen = now;
            entry.Current++;
        }
    }

    // previous × (W − offset) / W + current < limit, in whole ticks (Int128: no overflow, no rounding at the edges).
    private bool UnderLimit(Entry entry, long offset, int limit) =>
        ((Int128)entry.Previous * (_windowTicks - offset)) + ((Int128)entry.Current * _windowTicks) < (Int128)limit * _windowTicks;

    // Moves the entry to the current window and returns how many ticks into it we are.
    private long Roll(Entry entry, long now)
    {
        var elapsed = Math.Max(0, now - _origin);
        var window = elapsed / _windowTicks;
        if (entry.Window != window)
        {
            entry.Previous = entry.Window == window - 1 ? entry.Current : 0;
            entry.Current = 0;
            Volatile.Write(ref entry.Window, window);
        }

        return elapsed % _windowTicks;
    }

    // The first instant the key is under the limit again if it sends nothing more, as a wait from now.
    private TimeSpan RetryAfter(Entry entry, long offset, int limit)
    {
        Int128 wait;
        if (entry.Current >= limit)
        {
            // Not in this window: in the next one the current count becomes the previous one, and
            // current × (W − g) < limit × W first holds at g = (current − limit) × W / current + 1.
            wait = _windowTicks - offset + ((Int128)(entry.Current - limit) * _windowTicks / entry.Current) + 1;
        }
        else
        {
            // previous × (W − o) < (limit − current) × W first holds at o = (previous − limit + current) × W / previous + 1.
            var at = ((Int128)(entry.Previous - limit + entry.Current) * _windowTicks / entry.Previous) + 1;
            wait = at - offset;
        }

        // Timestamp ticks to TimeSpan ticks, rounded up: waiting the whole RetryAfter always lets the key in.
        var frequency = _time.TimestampFrequency;
        return TimeSpan.FromTicks((long)((((Int128)Int128.Max(1, wait) * TimeSpan.TicksPerSecond) + frequency - 1) / frequency));
    }

    private Entry GetOrAdd(ReadOnlySpan<char> key, long now)
    {
        if (_lookup.TryGetValue(key, out var entry))
        {
            return entry;
        }

        if (Volatile.Read(ref _count) >= _maxKeys)
        {
            Sweep(now);
        }

        var created = new Entry { Window = Math.Max(0, now - _origin) / _windowTicks, LastSeen = now };
        while (true)
        {
            if (_lookup.TryAdd(key, created))
            {
                Interlocked.Increment(ref _count);
                Volatile.Read(ref _metrics)?.Keys.Inc();
                return created;
            }

            if (_lookup.TryGetValue(key, out entry))
            {
                return entry;
            }
        }
    }

    private void Sweep(long now)
    {
        lock (_sweepLock)
        {
            if (Volatile.Read(ref _count) < _maxKeys)
            {
                return;
            }

            var window = Math.Max(0, now - _origin) / _windowTicks;
            var expired = 0;
            foreach (var pair in _entries)
            {
                // Last touched two windows ago or earlier: both its counts roll to zero, so dropping it changes nothing.
                if (Volatile.Read(ref pair.Value.Window) < window - 1 && Remove(pair))
                {
                    expired++;
                }
            }

            Interlocked.Add(ref _expiredEvictions, expired);
            Volatile.Read(ref _metrics)?.ExpiredEvictions.Inc(expired);
            var target = _maxKeys - Math.Max(1, _maxKeys / 10);
            var excess = Volatile.Read(ref _count) - target;
            if (excess <= 0)
            {
                return;
            }

            // Least recently seen first: find the timestamp below which 'excess' keys lie, and drop those.
            var seen = new long[_entries.Count];
            var n = 0;
            foreach (var pair in _entries)
            {
                if (n == seen.Length)
                {
                    break;
                }

                seen[n++] = Volatile.Read(ref pair.Value.LastSeen);
            }

            if (n == 0)
            {
                return;
            }

            Array.Sort(seen, 0, n);
            var cutoff = seen[Math.Min(n, excess) - 1];
            var dropped = 0;
            foreach (var pair in _entries)
            {
                if (dropped < excess && Volatile.Read(ref pair.Value.LastSeen) <= cutoff && Remove(pair))
                {
                    dropped++;
                }
            }

            Interlocked.Add(ref _lruEvictions, dropped);
            Volatile.Read(ref _metrics)?.LruEvictions.Inc(dropped);
            RateLimiter.Log.KeysEvicted(_logger, _ruleName, dropped, _maxKeys);
        }
    }

    private bool Remove(KeyValuePair<string, Entry> pair)
    {
        if (!_entries.TryRemove(pair))
        {
            return false;
        }

        Interlocked.Decrement(ref _count);
        Volatile.Read(ref _metrics)?.Keys.Dec();
        return true;
    }

    /// <summary>One key's counts; guarded by its own monitor.</summary>
    private sealed class Entry
    {
        public long Window;
        public long LastSeen;
        public int Current;
        public int Previous;
    }
}
