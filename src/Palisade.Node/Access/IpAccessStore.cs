using System.Net;
using Palisade.Node.Access.GeoIp;
using Palisade.Node.Metrics;

namespace Palisade.Node.Access;

/// <summary>
/// The node's IP lists: entries from the configuration and entries added at run time through the management API.
/// Readers take the current <see cref="IpAccessList"/> with one volatile read; writers build a new one under a lock
/// and publish it (copy-on-write), so lookups never wait. A reload replaces the configuration's entries and keeps
/// the API's. Expired entries stop matching at once and are pruned every <see cref="PruneInterval"/>.
/// <para>
/// Country rules (<c>ip-lists.countries</c>) come from the configuration too and are replaced with it. They decide
/// only for addresses no address entry covers: an address entry of any list is more specific than a country, so
/// an allowed office /28 in a denied country is allowed, and a denied host in an allowed country is denied.
/// </para>
/// </summary>
public sealed class IpAccessStore : IDisposable
{
    public static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly NodeMetrics? _metrics;
    private readonly CountryDatabase? _countries;
    private readonly ITimer _pruner;
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
    {
        ArgumentNullException.ThrowIfNull(configEntries);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _metrics = metrics;
        _countries = countryDatabase;
        _state = Build(AsSource(configEntries, IpListSource.Config), [], countryRules ?? CountryRules.Empty);
        UpdateGauges(_state);
        _pruner = time.CreateTimer(static s => ((IpAccessStore)s!).Prune(), this, PruneInterval, PruneInterval);
    }

    /// <summary>The current snapshot: immutable, safe to keep for the length of a request.</summary>
    public IpAccessList Current => Volatile.Read(ref _state).List;

    /// <summary>Configuration entries first, then the API's, expired ones not yet pruned included.</summary>
    public IReadOnlyList<IpListEntry> Entries => Current.Entries;

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
        var state = Volatile.Read(ref _state);
        var match = state.List.Find(ip, _time.GetUtcNow()) ?? FindCountry(state.Countries, ip);
        if (match is { } found)
        {
            _metrics?.CountIpListMatch(found.Kind);
        }

        return match;
    }

    /// <summary>Raised after an API entry was added (by the management API, a brute-force rule or another replica).</summary>
    public event Action<IpListEntry>? EntryAdded;

    /// <summary>Raised after an entry was removed.</summary>
    public event Action<IPNetwork, IpListKind>? EntryRemoved;

    private IpListMatch? FindCountry(CountryRules rules, IPAddress ip)
    {
        if (rules.Count == 0 || _countries is null)
        {
            return null;
        }

        var country = _countries.CountryOf(ip);
        return rules.KindOf(country) is { } kind ? new IpListMatch(country!, kind) : null;
    }

    /// <summary>Adds an API entry, replacing an API entry for the same network on the same list; returns what was stored.</summary>
    public IpListEntry Add(IpListEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var stored = entry with { Source = IpListSource.Api };
        lock (_gate)
        {
            var state = _state;
            var api = new List<IpListEntry>(state.Api.Length + 1);
            foreach (var existing in state.Api)
            {
                if (!Same(existing, stored.Network, stored.Kind))
                {
                    api.Add(existing);
                }
            }

            api.Add(stored);
            Publish(Build(state.Config, [.. api], state.Countries));
        }

        EntryAdded?.Invoke(stored);
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
            var api = Without(state.Api, network, kind);
            if (api.Length != state.Api.Length)
            {
                // Only the API's: a configuration entry for the same network stays in force.
                Publish(Build(state.Config, api, state.Countries));
                return IpListRemoval.Removed;
            }

            var config = Without(state.Config, network, kind);
            if (config.Length != state.Config.Length)
            {
                Publish(Build(config, api, state.Countries));
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
            Publish(Build(config, _state.Api, _state.Countries));
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
            Publish(Build(config, _state.Api, countryRules));
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
            var api = Live(state.Api, now);
            var removed = state.Config.Length - config.Length + state.Api.Length - api.Length;
            if (removed > 0)
            {
                Publish(Build(config, api, state.Countries));
            }

            return removed;
        }
    }

    public void Dispose()
    {
        _pruner.Dispose();
        _countries?.Dispose();
    }

    private static bool Same(IpListEntry entry, IPNetwork network, IpListKind kind) => entry.Kind == kind && entry.Network.Equals(network);

    private static IpListEntry[] AsSource(IEnumerable<IpListEntry> entries, IpListSource source) =>
        entries.Select(e => e.Source == source ? e : e with { Source = source }).ToArray();

    private static IpListEntry[] Without(IpListEntry[] entries, IPNetwork network, IpListKind kind) =>
        Array.FindAll(entries, e => !Same(e, network, kind));

    private static IpListEntry[] Live(IpListEntry[] entries, DateTimeOffset now) =>
        Array.FindAll(entries, e => !e.IsExpired(now));

    private static State Build(IpListEntry[] config, IpListEntry[] api, CountryRules countries) =>
        new(config, api, new IpAccessList([.. config, .. api]), countries);

    private void Publish(State state)
    {
        Volatile.Write(ref _state, state);
        UpdateGauges(state);
    }

    // Entries that have expired but are not pruned yet still count, for at most one prune interval.
    private void UpdateGauges(State state)
    {
        if (_metrics is null)
        {
            return;
        }

        var now = _time.GetUtcNow();
        Span<int> counts = stackalloc int[3];
        foreach (var entry in state.List.Entries)
        {
            if (!entry.IsExpired(now))
            {
                counts[(int)entry.Kind]++;
            }
        }

        foreach (var kind in IpListNames.AllKinds)
        {
            _metrics.SetIpListEntries(kind, counts[(int)kind]);
        }
    }

    private sealed record State(IpListEntry[] Config, IpListEntry[] Api, IpAccessList List, CountryRules Countries);
}
