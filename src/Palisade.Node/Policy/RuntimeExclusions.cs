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

    public void Add(IEnumerable<Exclusion> exclusions)
    {
        ArgumentNullException.ThrowIfNull(exclusions);
        ImmutableInterlocked.Update(ref _items, static (list, added) => list.AddRange(added), exclusions.ToArray());
    }
}
