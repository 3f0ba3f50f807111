using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Palisade.Node.Metrics;

namespace Palisade.Node.Lifecycle;

/// <summary>
/// Stops accepting while memory is near the limit, or when open connections could together fill their request
/// buffers past their share of it (<see cref="MemoryGuard.Connections"/>: each reserves the most Kestrel may buffer
/// for it): such a connection is closed at once, before it is given buffers, so a flood of new connections cannot take
/// the memory that in-flight requests free. Requests on connections already open are shed one by one with 503.
/// </summary>
public static class MemoryGuardConnectionMiddleware
{
    /// <param name="listen">The proxy listener.</param>
    /// <param name="guard">The node's guard (read when a connection arrives: the node creates it after the listener).</param>
    /// <param name="metrics">Where refused connections are counted.</param>
    /// <param name="perConnection">What one connection may hold in request buffers (Kestrel's MaxRequestBufferSize).</param>
    public static ListenOptions UseMemoryGuard(this ListenOptions listen, Func<MemoryGuard?> guard, NodeMetrics metrics, long perConnection)
    {
        ArgumentNullException.ThrowIfNull(listen);
        listen.Use(next => async connection =>
        {
            var memory = guard();
            if (memory is null)
            {
                await next(connection);
                return;
            }

            if (memory.IsShedding || !memory.Connections.TryReserve(perConnection))
            {
                metrics.CountShed();
                connection.Abort(new ConnectionAbortedException("memory near the limit: not accepting connections"));
                return;
            }

            try
            {
                await next(connection);
            }
            finally
            {
                memory.Connections.Release(perConnection);
            }
        });
        return listen;
    }
}
