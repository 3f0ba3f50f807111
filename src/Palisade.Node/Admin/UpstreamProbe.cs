using System.Net.Sockets;

namespace Palisade.Node.Admin;

/// <summary>
/// Tells whether the application accepts TCP connections, by connecting to it. Answers are cached for a
/// second so that frequent probes do not turn into a connection storm.
/// </summary>
public sealed class UpstreamProbe
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);

    private readonly string _host;
    private readonly int _port;
    private readonly TimeProvider _time;
    private (bool Reachable, DateTimeOffset At) _last = (false, DateTimeOffset.MinValue);

    public UpstreamProbe(Uri upstream, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        _host = upstream.Host;
        _port = upstream.Port;
        _time = time;
    }

    public async ValueTask<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        var last = _last;
        var now = _time.GetUtcNow();
        if (now - last.At < CacheFor)
        {
            return last.Reachable;
        }

        var reachable = await ConnectAsync(cancellationToken);
        _last = (reachable, now);
        return reachable;
    }

    private async Task<bool> ConnectAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(_host, _port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
