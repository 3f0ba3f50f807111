using System.Net;

namespace Palisade.Node.Access;

/// <summary>
/// The run-time IP list changes this replica made that could not be published (Redis away), the latest per
/// network and list: an entry added, or a removal. Only these are published once the connection is back, never
/// the entries received from other replicas, so a reconnection does not undo what others changed meanwhile.
/// </summary>
internal sealed class IpListPendingChanges
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(IPNetwork Network, IpListKind Kind), IpListEntry?> _changes = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _changes.Count;
            }
        }
    }

    public void Added(IpListEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            _changes[(entry.Network, entry.Kind)] = entry;
        }
    }

    public void Removed(IPNetwork network, IpListKind kind)
    {
        lock (_gate)
        {
            _changes[(network, kind)] = null;
        }
    }

    /// <summary>Takes every pending change (a null entry is a removal), leaving none.</summary>
    public List<((IPNetwork Network, IpListKind Kind) Key, IpListEntry? Entry)> Drain()
    {
        lock (_gate)
        {
            var changes = _changes.Select(c => (c.Key, c.Value)).ToList();
            _changes.Clear();
            return changes;
        }
    }
}
