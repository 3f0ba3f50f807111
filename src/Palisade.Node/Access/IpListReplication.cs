using Microsoft.Extensions.Logging;
using Palisade.Node.SharedState;

namespace Palisade.Node.Access;

/// <summary>
/// Keeps the run-time IP list entries of all replicas the same through Redis: an entry added or removed here (by
/// the management API or a brute-force rule) is published, and what other replicas publish is applied here. On
/// (re)connection the whole shared set is loaded, so a replica that missed changes while Redis was away converges,
/// and then what it changed itself meanwhile is published (see <see cref="IpListPendingChanges"/>).
/// Entries from the configuration file are each replica's own and are not shared.
/// </summary>
public sealed partial class IpListReplication : IAsyncDisposable
{
    [ThreadStatic]
    private static bool _applyingRemote;

    private readonly IpAccessStore _store;
    private readonly SharedIpListChannel _channel;
    private readonly IpListPendingChanges _pending = new();
    private readonly ILogger _logger;

    public IpListReplication(IpAccessStore store, SharedStateConnection connection)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(connection);
        _store = store;
        _logger = connection.Logger;
        _channel = new SharedIpListChannel(connection, ApplyUpsert, ApplyRemoval);
        _channel.Reloaded += OnReloaded;
        store.EntryAdded += OnAdded;
        store.EntryRemoved += OnRemoved;
    }

    /// <summary>
    /// Subscribes and loads the shared entries, now if Redis answers, else when it does. Never throws: the node
    /// must serve with its own lists whatever happens here (the channel loads again at each reconnection).
    /// </summary>
    public async Task StartAsync()
    {
        try
        {
            await _channel.StartAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Replication is an addition: its failure must not stop the node.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.StartFailed(_logger, e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _store.EntryAdded -= OnAdded;
        _store.EntryRemoved -= OnRemoved;
        _channel.Reloaded -= OnReloaded;
        await _channel.DisposeAsync();
    }

    /// <summary>The local changes waiting for Redis.</summary>
    internal int PendingCount => _pending.Count;

    // Back after an outage: once the channel has loaded the shared entries, the changes this replica made meanwhile
    // (they could not be published then) are published, those the load did not override. Entries received from
    // other replicas are not published again, so what another replica removed during the outage stays removed.
    private void OnReloaded() => _ = Guarded(FlushAsync());

    private async Task FlushAsync()
    {
        var changes = _pending.Drain();
        if (changes.Count == 0)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var current = new Dictionary<(System.Net.IPNetwork, IpListKind), IpListEntry>();
        foreach (var entry in _store.Entries)
        {
            if (entry.Source == IpListSource.Api)
            {
                current[(entry.Network, entry.Kind)] = entry;
            }
        }

        foreach (var (key, entry) in changes)
        {
            var held = current.GetValueOrDefault(key);
            if (entry is null && held is null)
            {
                await PublishRemovalAsync(key.Network, key.Kind).ConfigureAwait(false);
            }
            else if (entry is not null && ReferenceEquals(held, entry) && !entry.IsExpired(now))
            {
                await PublishAddAsync(entry).ConfigureAwait(false);
            }

            // Otherwise the load (or a later change) replaced it: the newer state holds.
        }
    }

    private void OnAdded(IpListEntry entry)
    {
        if (!_applyingRemote)
        {
            _ = Guarded(PublishAddAsync(entry));
        }
    }

    private void OnRemoved(System.Net.IPNetwork network, IpListKind kind)
    {
        if (!_applyingRemote)
        {
            _ = Guarded(PublishRemovalAsync(network, kind));
        }
    }

    // Fire-and-forget work: whatever goes wrong is logged, never left unobserved.
    private async Task Guarded(Task work)
    {
        try
        {
            await work.ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed publication must not reach the request that made the change.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.PublishFailed(_logger, e);
        }
    }

    private async Task PublishAddAsync(IpListEntry entry)
    {
        // An entry the channel refuses (a reason past the shared limit) throws: logged, it holds on this replica only.
        if (!await _channel.AddAsync(entry.Kind.ToName(), entry.Network.ToString(), entry.Reason, entry.Expires).ConfigureAwait(false))
        {
            _pending.Added(entry);
        }
    }

    private async Task PublishRemovalAsync(System.Net.IPNetwork network, IpListKind kind)
    {
        if (!await _channel.RemoveAsync(kind.ToName(), network.ToString()).ConfigureAwait(false))
        {
            _pending.Removed(network, kind);
        }
    }

    private void ApplyUpsert(SharedIpEntry shared)
    {
        // Its own entries too: a replica that restarted gets back what it had added (adding again replaces, nothing doubles).
        if (!IpListNames.TryParseKind(shared.List, out var kind) || !IpCidr.TryParse(shared.Cidr, out var network, out _))
        {
            return;
        }

        _applyingRemote = true;
        try
        {
            _store.Add(new IpListEntry(network, kind, shared.Reason, shared.Expires, IpListSource.Api));
        }
        finally
        {
            _applyingRemote = false;
        }
    }

    private void ApplyRemoval(string list, string cidr)
    {
        if (!IpListNames.TryParseKind(list, out var kind) || !IpCidr.TryParse(cidr, out var network, out _))
        {
            return;
        }

        _applyingRemote = true;
        try
        {
            _store.Remove(network, kind);
        }
        finally
        {
            _applyingRemote = false;
        }
    }
}
