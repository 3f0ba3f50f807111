using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Palisade.Node.Metrics;

namespace Palisade.Node.Lifecycle;

/// <summary>
/// Stops accepting while memory is near the limit: a connection that arrives then is closed at once, before Kestrel
/// gives it buffers, so a flood of new connections cannot take the memory that in-flight requests free. Requests
/// on connections already open are shed one by one with 503 (see <see cref="MemoryGuard"/>).
/// </summary>
public static class MemoryGuardConnectionMiddleware
{
    /// <param name="listen">The proxy listener.</param>
    /// <param name="guard">The node's guard (read when a connection arrives: the node creates it after the listener).</param>
    /// <param name="metrics">Where refused connections are counted.</param>
    public static ListenOptions UseMemoryGuard(this ListenOptions listen, Func<MemoryGuard?> guard, NodeMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(next => connection =>
        {
            if (guard()?.IsShedding == true)
            {
                metrics.CountShed();
                connection.Abort(new ConnectionAbortedException("memory near the limit: not accepting connections"));
                return Task.CompletedTask;
            }

            return next(connection);
        });
        return listen;
    }
}
