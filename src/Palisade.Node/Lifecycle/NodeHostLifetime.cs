using Microsoft.Extensions.Hosting;

namespace Palisade.Node.Lifecycle;

/// <summary>
/// A host lifetime that ignores process signals: the node handles SIGTERM itself, so that readiness turns
/// 503 and in-flight requests drain in the right order across its listeners.
/// </summary>
internal sealed class NodeHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
