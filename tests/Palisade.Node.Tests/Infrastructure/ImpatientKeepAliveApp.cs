using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Palisade.Node.Tests.Infrastructure;

/// <summary>
/// An application with a short keep-alive timeout that closes an idle connection the way Node.js, gunicorn or
/// uvicorn do: on a timer that wins over a request whose bytes arrived just before it fired. A request that reaches
/// a connection in the last <see cref="Grace"/> of its idle time is dropped with the connection (no response), the
/// race every proxy that pools connections to such an application meets. It answers every request it reads with
/// 200 and the request's method and target, and drains a request body by its <c>Content-Length</c>.
/// </summary>
public sealed class ImpatientKeepAliveApp : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _served;
    private int _dropped;

    public ImpatientKeepAliveApp(TimeSpan keepAliveTimeout, TimeSpan grace)
    {
        KeepAliveTimeout = keepAliveTimeout;
        Grace = grace;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public TimeSpan KeepAliveTimeout { get; }

    /// <summary>How long before the timeout a request is lost to the close instead of answered.</summary>
    public TimeSpan Grace { get; }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Requests answered.</summary>
    public int Served => Volatile.Read(ref _served);

    /// <summary>Connections closed with a request's bytes unread.</summary>
    public int Dropped => Volatile.Read(ref _dropped);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        var buffer = new byte[64 * 1024];
        var length = 0;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                // Idle: wait for the next request until the grace period before the timeout begins.
                if (length == 0)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    idle.CancelAfter(KeepAliveTimeout - Grace);
                    int read;
                    try
                    {
                        read = await socket.ReceiveAsync(buffer.AsMemory(length), idle.Token);
                    }
                    catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                    {
                        // The timer is about to fire: whatever arrives now is lost with the connection.
                        await Task.Delay(Grace, _stop.Token);
                        if (socket.Available > 0)
                        {
                            Interlocked.Increment(ref _dropped);
                        }

                        socket.Close(0);
                        return;
                    }

                    if (read == 0)
                    {
                        return;
                    }

                    length += read;
                }

                var head = Encoding.Latin1.GetString(buffer, 0, length);
                var end = head.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end < 0)
                {
                    var more = await socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token);
                    if (more == 0)
                    {
                        return;
                    }

                    length += more;
                    continue;
                }

                var bodyLength = ContentLength(head[..end]);
                while (length < end + 4 + bodyLength)
                {
                    var more = await socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token);
                    if (more == 0)
                    {
                        return;
                    }

                    length += more;
                }

                var requestLine = head[..head.IndexOf("\r\n", StringComparison.Ordinal)];
                var content = Encoding.ASCII.GetBytes(requestLine);
                var response = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {content.Length}\r\n\r\n");
                await socket.SendAsync(response.Concat(content).ToArray(), _stop.Token);
                Interlocked.Increment(ref _served);

                var consumed = end + 4 + bodyLength;
                Buffer.BlockCopy(buffer, consumed, buffer, 0, length - consumed);
                length -= consumed;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
