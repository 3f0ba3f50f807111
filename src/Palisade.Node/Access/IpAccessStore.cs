using System.Net;
using Palisade.Node.Metrics;

namespace Palisade.Node.Access;

/// <summary>
/// The node's IP lists: entries from the configuration and entries added at run time through the management API.
/// Readers take the current <see cref="IpAccessList"/> with one volatile read; writers build a new one under a lock
/// and publish it (copy-on-write), so lookups never wait. A reload replaces the configuration's entries and keeps
/// the API's. Expired entries stop matching at once and are pruned every <see cref="PruneInterval"/>.
/// </summary>
public sealed class IpAccessStore : IDisposable
{
    public static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly NodeMetrics? _metrics;
    private readonly ITimer _pruner;
    private State _state;

    public IpAccessStore(IEnumerable<IpListEntry> configEntries, TimeProvider time, NodeMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(configEntries);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _metrics = metrics;
        _state = Build(AsSource(configEntries, IpListSource.Config), []);
        UpdateGauges(_state);
        _pruner = time.CreateTimer(static s => ((IpAccessStore)s!).Prune(), this, PruneInterval, PruneInterval);
    }

    /// <summary>The current snapshot: immutable, safe to keep for the length of a request.</summary>
    public IpAccessList Current => Volatile.Read(ref _state).List;

    /// <summary>Configuration entries first, then the API's, expired ones not yet pruned included.</summary>
    public IReadOnlyList<IpListEntry> Entries => Current.Entries;

    /// <summary>
    /// The entry that decides for <paramref name="ip"/> now (see <see cref="IpAccessList"/> for precedence), counted in
    /// <c>palisade_ip_list_matches_total</c>; null when no list has it. Does not allocate.
    /// </summary>
    public IpListMatch? Find(IPAddress ip)
    {
        var match = Current.Find(ip, _time.GetUtcNow());
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
            Publish(Build(state.Config, [.. api]));
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
                Publish(Build(Without(state.Config, network, kind), api));
                return IpListRemoval.Removed;
            }

            var config = Without(state.Config, network, kind);
            if (config.Length != state.Config.Length)
            {
                Publish(Build(config, api));
                return IpListRemoval.FromConfiguration;
            }

            return IpListRemoval.NotFound;
        }
    }

    /// <summary>On reload: the configuration's entries are replaced, the API's stay.</summary>
    public void ReplaceConfigEntries(IEnumerable<IpListEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var config = AsSource(entries, IpListSource.Config);
        lock (_gate)
        {
            Publish(Build(config, _state.Api));
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
                Publish(Build(config, api));
            }

            return removed;
        }
    }

    public void Dispose() => _pruner.Dispose();

    private static bool Same(IpListEntry entry, IPNetwork network, IpListKind kind) => entry.Kind == kind && entry.Network.Equals(network);

    private static IpListEntry[] AsSource(IEnumerable<IpListEntry> entries, IpListSource source) =>
        entries.Select(e => e.Source == source ? e : e with { Source = source }).ToArray();

    private static IpListEntry[] Without(IpListEntry[] entries, IPNetwork network, IpListKind kind) =>
        Array.FindAll(entries, e => !Same(e, network, kind));

    private static IpListEntry[] Live(IpListEntry[] entries, DateTimeOffset now) =>
        Array.FindAll(entries, e => !e.IsExpired(now));

    private static State Build(IpListEntry[] config, IpListEntry[] api) => new(config, api, new IpAccessList([.. config, .. api]));

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

    private sealed record State(IpListEntry[] Config, IpListEntry[] Api, IpAccessList List);
}
