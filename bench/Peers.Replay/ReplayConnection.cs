using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Peers.Replay;

/// <summary>
/// One keep-alive HTTP/1.1 client connection that sends prepared request bytes and reads the response's status,
/// skipping its body (Content-Length, chunked, or until close). Reconnects when the server closed the connection.
/// Not thread-safe: one per worker.
/// </summary>
public sealed class ReplayConnection : IDisposable
{
    private const int MaxHeadBytes = 64 * 1024;

    private readonly IPEndPoint _endPoint;
    private readonly TimeSpan _timeout;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private Socket? _socket;
    private int _start;
    private int _end;

    public ReplayConnection(IPEndPoint endPoint, TimeSpan timeout)
    {
        _endPoint = endPoint;
        _timeout = timeout;
    }

    /// <summary>Sends the request and returns the response's status code; 0 when no valid response came.</summary>
    public int Send(byte[] request, bool isHead)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A pooled connection the server closed meanwhile fails on first use: one retry on a fresh connection.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var reused = _socket is not null;
            try
            {
                var socket = Connect();
                socket.Send(request);
                return ReadResponse(isHead);
            }
            catch (Exception e) when (e is SocketException or IOException or InvalidDataException)
            {
                Close();
                if (!reused)
                {
                    return 0;
                }
            }
        }

        return 0;
    }

    public void Dispose() => Close();

    private Socket Connect()
    {
        if (_socket is null)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
            {
                NoDelay = true,
                ReceiveTimeout = (int)_timeout.TotalMilliseconds,
                SendTimeout = (int)_timeout.TotalMilliseconds,
            };
            socket.Connect(_endPoint);
            _socket = socket;
            _start = _end = 0;
        }

        return _socket;
    }

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
        _start = _end = 0;
    }

    private int ReadResponse(bool isHead)
    {
        var statusLine = ReadLine();
        // "HTTP/1.1 403 Forbidden"
        if (statusLine.Length < 12 || !statusLine.StartsWith("HTTP/1.", StringComparison.Ordinal) ||
            !int.TryParse(statusLine.AsSpan(9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status))
        {
            throw new InvalidDataException("not an HTTP/1.x status line");
        }

        long contentLength = -1;
        var chunked = false;
        var close = false;
        var headBytes = statusLine.Length;
        while (true)
        {
            var line = ReadLine();
            headBytes += line.Length + 2;
            if (headBytes > MaxHeadBytes)
            {
                throw new InvalidDataException("response head too large");
            }

            if (line.Length == 0)
            {
                break;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line.AsSpan(0, colon).Trim();
            var value = line.AsSpan(colon + 1).Trim();
            if (name.Equals("content-length", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = long.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
            }
            else if (name.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase))
            {
                chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals("connection", StringComparison.OrdinalIgnoreCase))
            {
                close = value.Contains("close", StringComparison.OrdinalIgnoreCase);
            }
        }

        if (isHead || status is 204 or 304 || (status >= 100 && status < 200))
        {
            // no body
        }
        else if (chunked)
        {
            SkipChunked();
        }
        else if (contentLength >= 0)
        {
            Skip(contentLength);
        }
        else
        {
            close = true;
        }

        if (close)
        {
            Close();
        }

        return status;
    }

    private void SkipChunked()
    {
        while (true)
        {
            var sizeLine = ReadLine();
            var semicolon = sizeLine.IndexOf(';', StringComparison.Ordinal);
            var digits = (semicolon < 0 ? sizeLine : sizeLine[..semicolon]).Trim();
            var size = long.Parse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                while (ReadLine().Length > 0)
                {
                    // trailers
                }

                return;
            }

            Skip(size);
            ReadLine();
        }
    }

    private void Skip(long count)
    {
        while (count > 0)
        {
            if (_start == _end)
            {
                Fill();
            }

            var take = (int)Math.Min(count, _end - _start);
            _start += take;
            count -= take;
        }
    }

    private string ReadLine()
    {
        var line = new StringBuilder();
        while (true)
        {
            if (_start == _end)
            {
                Fill();
            }

            var span = _buffer.AsSpan(_start, _end - _start);
            var lf = span.IndexOf((byte)'\n');
            if (lf < 0)
            {
                line.Append(Encoding.Latin1.GetString(span));
                _start = _end;
                if (line.Length > MaxHeadBytes)
                {
                    throw new InvalidDataException("response line too long");
                }

                continue;
            }

            line.Append(Encoding.Latin1.GetString(span[..lf]));
            _start += lf + 1;
            if (line.Length > 0 && line[^1] == '\r')
            {
                line.Length--;
            }

            return line.ToString();
        }
    }

    private void Fill()
    {
        _start = 0;
        _end = _socket!.Receive(_buffer);
        if (_end == 0)
        {
            throw new IOException("connection closed by the server");
        }
    }
}
