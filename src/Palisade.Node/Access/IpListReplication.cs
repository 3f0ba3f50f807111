using Palisade.Node.SharedState;

namespace Palisade.Node.Access;

/// <summary>
/// Keeps the run-time IP list entries of all replicas the same through Redis: an entry added or removed here (by
/// the management API or a brute-force rule) is published, and what other replicas publish is applied here. On
/// (re)connection the whole shared set is loaded, so a replica that missed changes while Redis was away converges,
/// and what it added meanwhile is published.
/// Entries from the configuration file are each replica's own and are not shared.
/// </summary>
public sealed class IpListReplication : IAsyncDisposable
{
    [ThreadStatic]
    private static bool _applyingRemote;

    private readonly IpAccessStore _store;
    private readonly SharedIpListChannel _channel;
    private readonly SharedStateConnection _connection;

    public IpListReplication(IpAccessStore store, SharedStateConnection connection)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(connection);
        _store = store;
        _channel = new SharedIpListChannel(connection, ApplyUpsert, ApplyRemoval);
        _connection = connection;
        store.EntryAdded += OnAdded;
        store.EntryRemoved += OnRemoved;
        connection.StateChanged += OnStateChanged;
    }

    public Task StartAsync() => _channel.StartAsync();

    public async ValueTask DisposeAsync()
    {
        _store.EntryAdded -= OnAdded;
        _store.EntryRemoved -= OnRemoved;
        _connection.StateChanged -= OnStateChanged;
        await _channel.DisposeAsync();
    }

    // Back after an outage: what this replica added meanwhile (it could not be published then) is published now. An
    // entry another replica removed during the outage comes back with it: the last writer wins.
    private void OnStateChanged(bool connected)
    {
        if (!connected)
        {
            return;
        }

        foreach (var entry in _store.Entries)
        {
            if (entry.Source == IpListSource.Api && (entry.Expires is null || entry.Expires > DateTimeOffset.UtcNow))
            {
                _ = _channel.AddAsync(entry.Kind.ToName(), entry.Network.ToString(), entry.Reason, entry.Expires);
            }
        }
    }

    private void OnAdded(IpListEntry entry)
    {
        if (!_applyingRemote)
        {
            _ = _channel.AddAsync(entry.Kind.ToName(), entry.Network.ToString(), entry.Reason, entry.Expires);
        }
    }

    private void OnRemoved(System.Net.IPNetwork network, IpListKind kind)
    {
        if (!_applyingRemote)
        {
            _ = _channel.RemoveAsync(kind.ToName(), network.ToString());
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
