using System.Net;
using Palisade.Node.Access.GeoIp;
using Palisade.Node.Metrics;

namespace Palisade.Node.Access;

/// <summary>
/// The node's IP lists: entries from the configuration and entries added at run time (the management API, a
/// graylisting rate limit, another replica). Lookups never wait. Networks (the configuration's entries and the
/// API's ranges) are held in an immutable <see cref="IpAccessList"/> that writers rebuild under a lock and
/// publish (copy-on-write); the API's single addresses (/32, /128), which a graylisting rate limit adds one per
/// source, are held in an <see cref="IpHostTable"/> where adding, removing and finding one cost the same however
/// many there are. The precedence is that of <see cref="IpAccessList"/> across both: a single address is the
/// longest prefix, and at the same network deny beats allow beats gray (a configuration entry before an API
/// entry of the same list). A reload replaces the configuration's entries and keeps the API's. Expired entries
/// stop matching at once and are pruned every <see cref="PruneInterval"/>.
/// <para>
/// Run-time entries are capped at <see cref="MaxRuntimeEntries"/>: past it the gray entries closest to expiry
/// (those without one last) are evicted first, counted in <c>palisade_ip_list_evictions_total</c>; configuration
/// entries are never evicted, nor are API allow and deny entries (operators' decisions).
/// </para>
/// <para>
/// Country rules (<c>ip-lists.countries</c>) come from the configuration too and are replaced with it. They decide
/// only for addresses no address entry covers: an address entry of any list is more specific than a country, so
/// an allowed office /28 in a denied country is allowed, and a denied host in an allowed country is denied.
/// </para>
/// </summary>
public sealed class IpAccessStore : IDisposable
{
    public static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    /// <summary>How many run-time entries (all lists, this replica) the store holds at most before evicting gray ones.</summary>
    public const int MaxRuntimeEntries = 100_000;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly NodeMetrics? _metrics;
    private readonly Prometheus.Counter? _evictionsMetric;
    private readonly CountryDatabase? _countries;
    private readonly ITimer _pruner;
    private readonly IpHostTable _hosts = new();

    // Under _gate: every API entry by network and list, how many per list, and the gray ones in eviction order
    // (stale items, replaced or removed since, are skipped when they come up).
    private readonly Dictionary<(IPNetwork Network, IpListKind Kind), IpListEntry> _api = [];
    private readonly int[] _apiCounts = new int[3];
    private readonly PriorityQueue<IpListEntry, (long ExpiresTicks, long Seq)> _evictionOrder = new();
    private readonly int _cap;
    private long _seq;
    private long _evictions;
    private State _state;

    /// <param name="configEntries">The configuration's address entries.</param>
    /// <param name="time">The clock expiries are read against.</param>
    /// <param name="metrics">Where entries and matches are counted.</param>
    /// <param name="countryRules">The configuration's country rules; none when null.</param>
    /// <param name="countryDatabase">Where addresses' countries are looked up; the store disposes it. Country rules match nothing without one.</param>
    public IpAccessStore(
        IEnumerable<IpListEntry> configEntries,
        TimeProvider time,
        NodeMetrics? metrics = null,
        CountryRules? countryRules = null,
        CountryDatabase? countryDatabase = null)
        : this(configEntries, time, metrics, countryRules, countryDatabase, MaxRuntimeEntries)
    {
    }

    internal IpAccessStore(
        IEnumerable<IpListEntry> configEntries,
        TimeProvider time,
        NodeMetrics? metrics,
        CountryRules? countryRules,
        CountryDatabase? countryDatabase,
        int maxRuntimeEntries)
    {
        ArgumentNullException.ThrowIfNull(configEntries);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRuntimeEntries);
        _time = time;
        _metrics = metrics;
        _cap = maxRuntimeEntries;
        _evictionsMetric = metrics is null ? null : Prometheus.Metrics.WithCustomRegistry(metrics.Registry).CreateCounter(
            "palisade_ip_list_evictions_total",
            "Run-time IP list entries evicted because the run-time entries reached their cap (gray entries, closest to expiry first).");
        _countries = countryDatabase;
        _state = Build(AsSource(configEntries, IpListSource.Config), [], countryRules ?? CountryRules.Empty);
        UpdateGauges(_state);
        _pruner = time.CreateTimer(static s => ((IpAccessStore)s!).Prune(), this, PruneInterval, PruneInterval);
    }

    /// <summary>Configuration entries first, then the API's, expired ones not yet pruned included. A copy: O(n).</summary>
    public IReadOnlyList<IpListEntry> Entries
    {
        get
        {
            var state = Volatile.Read(ref _state);
            lock (_gate)
            {
                return [.. state.Config, .. state.ApiRanges, .. _hosts.Entries];
            }
        }
    }

    /// <summary>How many run-time entries the store holds, expired ones not yet pruned included.</summary>
    public int RuntimeCount
    {
        get
        {
            lock (_gate)
            {
                return _api.Count;
            }
        }
    }

    /// <summary>Run-time entries evicted because of <see cref="MaxRuntimeEntries"/> since the start.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>The country rules in force.</summary>
    public CountryRules CountryRules => Volatile.Read(ref _state).Countries;

    /// <summary>
    /// What decides for <paramref name="ip"/> now, counted in <c>palisade_ip_list_matches_total</c>; null when nothing
    /// does. First the most specific address entry of any list (see <see cref="IpAccessList"/> for precedence); only
    /// when none covers the address, the rule for its country (when there are country rules and a database). Address
    /// entries do not allocate; a country lookup allocates only what the database's reader does.
    /// </summary>
    public IpListMatch? Find(IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        var state = Volatile.Read(ref _state);
        var now = _time.GetUtcNow();
        var match = Combine(state.List.Find(ip, now), _hosts.Find(ip, now)) ?? FindCountry(state.Countries, ip);
        if (match is { } found)
        {
            _metrics?.CountIpListMatch(found.Kind);
        }

        return match;
    }

    /// <summary>Raised after an API entry was added (by the management API, a brute-force rule or another replica) and kept.</summary>
    public event Action<IpListEntry>? EntryAdded;

    /// <summary>Raised after an entry was removed (not after an eviction: each replica caps its own).</summary>
    public event Action<IPNetwork, IpListKind>? EntryRemoved;

    // A single address is the longest prefix there is: it decides over any network, and against a configuration
    // entry for the same address the usual order holds (deny, allow, gray; the configuration's first on a tie).
    private static IpListMatch? Combine(IpListMatch? network, IpListEntry? host)
    {
        if (host is null)
        {
            return network;
        }

        if (network is { Entry: { } entry } && IpHostTable.IsHost(entry.Network) && IpAccessList.Rank(entry.Kind) <= IpAccessList.Rank(host.Kind))
        {
            return network;
        }

        return new IpListMatch(host);
    }

    private IpListMatch? FindCountry(CountryRules rules, IPAddress ip)
    {
        if (rules.Count == 0 || _countries is null)
        {
            return null;
        }

        var country = _countries.CountryOf(ip);
        return rules.KindOf(country) is { } kind ? new IpListMatch(country!, kind) : null;
    }

    /// <summary>
    /// Adds an API entry, replacing an API entry for the same network on the same list; returns what was stored.
    /// O(1) for a single address; a wider network rebuilds the list of networks.
    /// </summary>
    public IpListEntry Add(IpListEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var stored = entry with { Source = IpListSource.Api };
        bool kept;
        lock (_gate)
        {
            var state = _state;
            var rebuild = false;
            var key = (stored.Network, stored.Kind);
            if (_api.Remove(key, out var old))
            {
                _apiCounts[(int)old.Kind]--;
            }

            _api[key] = stored;
            _apiCounts[(int)stored.Kind]++;
            if (IpHostTable.IsHost(stored.Network))
            {
                _hosts.Set(stored);
            }
            else
            {
                rebuild = true;
            }

            if (stored.Kind == IpListKind.Gray)
            {
                _evictionOrder.Enqueue(stored, (stored.Expires?.UtcTicks ?? long.MaxValue, ++_seq));
            }

            rebuild |= EvictOverCap();
            kept = _api.TryGetValue(key, out var now) && ReferenceEquals(now, stored);
            if (rebuild)
            {
                state = Build(state.Config, ApiRanges(), state.Countries);
                Volatile.Write(ref _state, state);
            }

            UpdateGauges(state);
        }

        if (kept)
        {
            EntryAdded?.Invoke(stored);
        }

        return stored;
    }

    /// <summary>
    /// Removes the entries for <paramref name="network"/> on the <paramref name="kind"/> list: the API's, or when only the
    /// configuration has one, the configuration's until the next reload.
    /// </summary>
    public IpListRemoval Remove(IPNetwork network, IpListKind kind)
    {
        var removal = RemoveLocked(network, kind);
        if (removal != IpListRemoval.NotFound)
        {
            EntryRemoved?.Invoke(network, kind);
        }

        return removal;
    }

    private IpListRemoval RemoveLocked(IPNetwork network, IpListKind kind)
    {
        lock (_gate)
        {
            var state = _state;
            if (_api.TryGetValue((network, kind), out var existing))
            {
                // Only the API's: a configuration entry for the same network stays in force.
                if (RemoveApi(existing))
                {
                    state = Build(state.Config, ApiRanges(), state.Countries);
                    Volatile.Write(ref _state, state);
                }

                UpdateGauges(state);
                return IpListRemoval.Removed;
            }

            var config = Without(state.Config, network, kind);
            if (config.Length != state.Config.Length)
            {
                Publish(Build(config, state.ApiRanges, state.Countries));
                return IpListRemoval.FromConfiguration;
            }

            return IpListRemoval.NotFound;
        }
    }

    /// <summary>On reload: the configuration's entries are replaced, the API's and the country rules stay.</summary>
    public void ReplaceConfigEntries(IEnumerable<IpListEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var config = AsSource(entries, IpListSource.Config);
        lock (_gate)
        {
            Publish(Build(config, _state.ApiRanges, _state.Countries));
        }
    }

    /// <summary>On reload: the configuration's entries and country rules are replaced together, the API's entries stay.</summary>
    public void ReplaceConfiguration(IEnumerable<IpListEntry> entries, CountryRules countryRules)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(countryRules);
        var config = AsSource(entries, IpListSource.Config);
        lock (_gate)
        {
            Publish(Build(config, _state.ApiRanges, countryRules));
        }
    }

    /// <summary>Drops expired entries; returns how many.</summary>
    public int Prune()
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var state = _state;
            var config = Live(state.Config, now);
            var removed = state.Config.Length - config.Length;
            var rebuild = removed > 0;
            List<IpListEntry>? expired = null;
            foreach (var entry in _api.Values)
            {
                if (entry.IsExpired(now))
                {
                    (expired ??= []).Add(entry);
                }
            }

            foreach (var entry in expired ?? [])
            {
                rebuild |= RemoveApi(entry);
                removed++;
            }

            if (rebuild)
            {
                state = Build(config, ApiRanges(), state.Countries);
                Volatile.Write(ref _state, state);
            }

            if (removed > 0)
            {
                UpdateGauges(state);
            }

            return removed;
        }
    }

    public void Dispose()
    {
        _pruner.Dispose();
        _countries?.Dispose();
    }

    // Under _gate. Evicts gray entries, closest to expiry first, until the run-time entries are within the cap;
    // true when a network (not a single address) went, so that the networks' list must be rebuilt.
    private bool EvictOverCap()
    {
        var rebuild = false;
        while (_api.Count > _cap && _evictionOrder.TryDequeue(out var candidate, out _))
        {
            if (!_api.TryGetValue((candidate.Network, candidate.Kind), out var current) || !ReferenceEquals(current, candidate))
            {
                continue;
            }

            rebuild |= RemoveApi(candidate);
            Interlocked.Increment(ref _evictions);
            _evictionsMetric?.Inc();
        }

        // Replaced and removed entries leave stale items behind: start again from the live ones when they dominate.
        if (_evictionOrder.Count > (2 * _apiCounts[(int)IpListKind.Gray]) + 1024)
        {
            _evictionOrder.Clear();
            foreach (var entry in _api.Values)
            {
                if (entry.Kind == IpListKind.Gray)
                {
                    _evictionOrder.Enqueue(entry, (entry.Expires?.UtcTicks ?? long.MaxValue, ++_seq));
                }
            }
        }

        return rebuild;
    }

    // Under _gate. True when the entry was a network, so that the networks' list must be rebuilt.
    private bool RemoveApi(IpListEntry entry)
    {
        _api.Remove((entry.Network, entry.Kind));
        _apiCounts[(int)entry.Kind]--;
        if (IpHostTable.IsHost(entry.Network))
        {
            _hosts.Remove(entry.Network, entry.Kind);
            return false;
        }

        return true;
    }

    // Under _gate: the API's networks wider than a single address.
    private IpListEntry[] ApiRanges() => _api.Values.Where(static e => !IpHostTable.IsHost(e.Network)).ToArray();

    private static bool Same(IpListEntry entry, IPNetwork network, IpListKind kind) => entry.Kind == kind && entry.Network.Equals(network);

    private static IpListEntry[] AsSource(IEnumerable<IpListEntry> entries, IpListSource source) =>
        entries.Select(e => e.Source == source ? e : e with { Source = source }).ToArray();

    private static IpListEntry[] Without(IpListEntry[] entries, IPNetwork network, IpListKind kind) =>
        Array.FindAll(entries, e => !Same(e, network, kind));

    private static IpListEntry[] Live(IpListEntry[] entries, DateTimeOffset now) =>
        Array.FindAll(entries, e => !e.IsExpired(now));

    private State Build(IpListEntry[] config, IpListEntry[] apiRanges, CountryRules countries)
    {
        var now = _time.GetUtcNow();
        var configCounts = new int[3];
        foreach (var entry in config)
        {
            if (!entry.IsExpired(now))
            {
                configCounts[(int)entry.Kind]++;
            }
        }

        return new(config, apiRanges, new IpAccessList([.. config, .. apiRanges]), countries, configCounts);
    }

    // Under _gate (or in the constructor).
    private void Publish(State state)
    {
        Volatile.Write(ref _state, state);
        UpdateGauges(state);
    }

    // Under _gate (or in the constructor). Run-time entries that have expired but are not pruned yet still count,
    // for at most one prune interval.
    private void UpdateGauges(State state)
    {
        if (_metrics is null)
        {
            return;
        }

        foreach (var kind in IpListNames.AllKinds)
        {
            _metrics.SetIpListEntries(kind, state.ConfigCounts[(int)kind] + _apiCounts[(int)kind]);
        }
    }

    private sealed record State(IpListEntry[] Config, IpListEntry[] ApiRanges, IpAccessList List, CountryRules Countries, int[] ConfigCounts);
}
