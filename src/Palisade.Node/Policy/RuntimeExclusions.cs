using System.Collections.Immutable;
using Palisade.Detection.Rules;

namespace Palisade.Node.Policy;

/// <summary>
/// Exclusions applied through the management API that could not be written to the configuration file (a
/// read-only ConfigMap): they hold until the node restarts, on top of the file's, and survive reloads. Kept
/// apart so the policy can be rebuilt from the file plus these at any time.
/// </summary>
public sealed class RuntimeExclusions
{
    private ImmutableList<Exclusion> _items = [];

    public IReadOnlyList<Exclusion> Items => Volatile.Read(ref _items);

    /// <summary>At most this many are held: past it, confirming another is refused until the file takes them.</summary>
    public const int MaxItems = 1000;

    /// <summary>
    /// Adds the exclusions whose names are not held yet (confirming one event twice holds it once); false, adding
    /// none, when that would hold more than <see cref="MaxItems"/>.
    /// </summary>
    public bool Add(IEnumerable<Exclusion> exclusions)
    {
        ArgumentNullException.ThrowIfNull(exclusions);
        var added = exclusions.ToArray();
        var fits = true;
        ImmutableInterlocked.Update(ref _items, (list, adding) =>
        {
            var fresh = adding.Where(e => !list.Exists(held => held.Name == e.Name)).ToArray();
            fits = list.Count + fresh.Length <= MaxItems;
            return fits ? list.AddRange(fresh) : list;
        }, added);
        return fits;
    }
}
