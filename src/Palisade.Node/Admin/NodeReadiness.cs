namespace Palisade.Node.Admin;

/// <summary>
/// Whether the node should receive traffic: its configuration is loaded (it is, once this exists), it is
/// not draining, and the application accepts connections.
/// </summary>
public sealed class NodeReadiness
{
    private readonly UpstreamProbe _upstream;
    private volatile bool _draining;

    public NodeReadiness(UpstreamProbe upstream)
    {
        _upstream = upstream;
    }

    public bool IsDraining => _draining;

    public void BeginDraining() => _draining = true;

    /// <summary>The reasons the node is not ready; empty when it is.</summary>
    public async ValueTask<IReadOnlyList<string>> CheckAsync(CancellationToken cancellationToken)
    {
        if (_draining)
        {
            return ["draining"];
        }

        return await _upstream.IsReachableAsync(cancellationToken) ? [] : ["upstream_unreachable"];
    }
}
