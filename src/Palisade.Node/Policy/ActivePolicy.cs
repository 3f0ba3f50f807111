namespace Palisade.Node.Policy;

/// <summary>The policy in force, swapped atomically by a reload; each request reads it once.</summary>
public sealed class ActivePolicy(NodePolicy initial)
{
    private NodePolicy _current = initial;

    public NodePolicy Current => Volatile.Read(ref _current);

    public void Swap(NodePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        Volatile.Write(ref _current, policy);
    }
}
