using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Palisade.TestUpstream;

/// <summary>
/// Serves one keep-alive connection. Every request is answered with a JSON document holding the exact head
/// and body bytes received (base64), unless its path asks for a misbehaviour:
/// <c>/__delay/MS</c> waits before answering, <c>/__status/CODE</c> answers that status,
/// <c>/__reset</c> sends part of a response then resets the connection, <c>/__stream/N</c> streams N chunks
/// 200 ms apart, <c>/__gated/ID</c> sends one chunk and the rest only after <c>/__release/ID</c> was requested,
/// <c>/__large/MIB/ID</c> sends MIB MiB and notes <c>large-aborted:ID</c> when the reader goes away before the end,
/// <c>/__received?marker=M</c> counts the recorded requests whose head contains M, <c>/__garbage</c> answers
/// bytes that are not HTTP, and an <c>Upgrade: websocket</c> request is accepted and its messages echoed.
/// </summary>
internal sealed class RecordingConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public RecordingConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public async Task RunAsync()
    {
        try
        {
            while (await ReadRequestAsync() is { } request)
            {
                if (!await RespondAsync(request))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            await DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    private async Task<RecordedRequest?> ReadRequestAsync()
    {
        int headEnd;
        while ((headEnd = IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (!await FillAsync())
            {
                return null;
            }
        }

        var head = _buffer.AsSpan(_start, headEnd - _start + 4).ToArray();
        _start = headEnd + 4;
        var probe = new RecordedRequest(head, [], false);
        if (probe.Target.StartsWith("/__stall", StringComparison.Ordinal))
        {
            // An application that takes the head and never reads the body: the proxy in front must push back.
            UpstreamState.Record(probe);
            await Task.Delay(TimeSpan.FromSeconds(60));
            return null;
        }
        var chunked = probe.Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;
        byte[] body;
        if (chunked)
        {
            body = await ReadChunkedAsync();
        }
        else if (long.TryParse(probe.Header("Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length > 0)
        {
            body = await ReadExactlyAsync((int)length);
        }
        else
        {
            body = [];
        }

        return new RecordedRequest(head, body, chunked);
    }

    private async Task<bool> RespondAsync(RecordedRequest request)
    {
        var path = request.Target.Split('?')[0];
        if (path == "/__received")
        {
            var marker = Uri.UnescapeDataString(request.Target[(request.Target.IndexOf("marker=", StringComparison.Ordinal) + 7)..]);
            var count = Encoding.ASCII.GetBytes(UpstreamState.Count(marker).ToString(CultureInfo.InvariantCulture));
            await WriteAsync($"HTTP/1.1 200 OK\r\nContent-Length: {count.Length}\r\n\r\n");
            await _stream.WriteAsync(count);
            return true;
        }

        UpstreamState.Record(request);
        if (path.StartsWith("/__release/", StringComparison.Ordinal))
        {
            UpstreamState.Release(path["/__release/".Length..]);
            await WriteAsync("HTTP/1.1 204 No Content\r\n\r\n");
            return true;
        }

        if (path.StartsWith("/__gated/", StringComparison.Ordinal))
        {
            await WriteAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n6\r\nfirst\n\r\n");
            await UpstreamState.WaitForGate(path["/__gated/".Length..]);
            await WriteAsync("5\r\nlast\n\r\n0\r\n\r\n");
            return true;
        }

        if (path == "/__short-body")
        {
            // Promises 10 bytes, sends 5, closes.
            await WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Type: text/plain\r\n\r\nshort");
            _socket.Close();
            return false;
        }

        if (path == "/__long-body")
        {
            // Promises 10 bytes, sends 20 and a response nobody asked for.
            await WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Type: text/plain\r\n\r\n0123456789EXTRABYTESHTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nsmuggled");
            return true;
        }

        if (path == "/__switching")
        {
            await WriteAsync("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nraw tunnel bytes");
            _socket.Close();
            return false;
        }

        if (path == "/__double-continue")
        {
            await WriteAsync("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            return true;
        }

        if (path == "/__refuse-upgrade")
        {
            await WriteAsync("HTTP/1.1 426 Upgrade Required\r\nContent-Length: 0\r\n\r\n");
            return true;
        }

        if (request.Header("Upgrade")?.Equals("websocket", StringComparison.OrdinalIgnoreCase) == true)
        {
            await WebSocketEcho.RunAsync(_stream, request, _buffer.AsMemory(_start, _end - _start));
            return false;
        }

        if (path.StartsWith("/__delay/", StringComparison.Ordinal))
        {
            await Task.Delay(int.Parse(path["/__delay/".Length..], CultureInfo.InvariantCulture));
        }

        if (path == "/__reset")
        {
            await WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nContent-Type: text/plain\r\n\r\nonly the beginning");
            _socket.LingerState = new LingerOption(true, 0);
            _socket.Close();
            return false;
        }

        if (path == "/__garbage")
        {
            await WriteAsync("this is not an HTTP response\r\n\r\n");
            _socket.Close();
            return false;
        }

        if (path.StartsWith("/__large/", StringComparison.Ordinal))
        {
            var parts = path.Split('/');
            var size = int.Parse(parts[2], CultureInfo.InvariantCulture) * 1024L * 1024;
            await WriteAsync($"HTTP/1.1 200 OK\r\nContent-Length: {size}\r\nContent-Type: application/octet-stream\r\n\r\n");
            var block = new byte[64 * 1024];
            Array.Fill(block, (byte)'x');
            try
            {
                for (var sent = 0L; sent < size; sent += block.Length)
                {
                    await _stream.WriteAsync(block);
                }
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                UpstreamState.Note($"large-aborted:{parts[3]}");
                throw;
            }

            return true;
        }

        if (path.StartsWith("/__stream/", StringComparison.Ordinal))
        {
            var count = int.Parse(path["/__stream/".Length..], CultureInfo.InvariantCulture);
            await WriteAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n");
            for (var i = 0; i < count; i++)
            {
                var chunk = $"chunk {i}\n";
                await WriteAsync($"{chunk.Length:x}\r\n{chunk}\r\n");
                await Task.Delay(200);
            }

            await WriteAsync("0\r\n\r\n");
            return true;
        }

        var status = path.StartsWith("/__status/", StringComparison.Ordinal) ? int.Parse(path["/__status/".Length..], CultureInfo.InvariantCulture) : 200;
        var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["head"] = Convert.ToBase64String(request.Head),
            ["body"] = Convert.ToBase64String(request.Body),
            ["chunked"] = request.Chunked,
        });
        await WriteAsync($"HTTP/1.1 {status} Recorded\r\nContent-Type: application/json\r\nContent-Length: {json.Length}\r\nX-Upstream: recorder\r\n\r\n");
        if (!request.RequestLine.StartsWith("HEAD ", StringComparison.Ordinal))
        {
            // A HEAD response has no body: bytes after it would be read as the next response on the connection.
            await _stream.WriteAsync(json);
        }

        return true;
    }

    private async Task<byte[]> ReadChunkedAsync()
    {
        using var body = new MemoryStream();
        while (true)
        {
            var line = await ReadLineAsync();
            var semi = line.IndexOf(';', StringComparison.Ordinal);
            var size = int.Parse(semi < 0 ? line : line[..semi], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (size == 0)
            {
                // Trailers, then the empty line.
                while ((await ReadLineAsync()).Length > 0)
                {
                }

                return body.ToArray();
            }

            body.Write(await ReadExactlyAsync(size));
            await ReadLineAsync();
        }
    }

    private async Task<string> ReadLineAsync()
    {
        int end;
        while ((end = IndexOf("\r\n"u8)) < 0)
        {
            if (!await FillAsync())
            {
                throw new IOException("connection closed inside a chunked body");
            }
        }

        var line = Encoding.ASCII.GetString(_buffer, _start, end - _start);
        _start = end + 2;
        return line;
    }

    private async Task<byte[]> ReadExactlyAsync(int count)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (_start == _end && !await FillAsync())
            {
                throw new IOException("connection closed inside a body");
            }

            var take = Math.Min(count - copied, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(result.AsSpan(copied));
            _start += take;
            copied += take;
        }

        return result;
    }

    private int IndexOf(ReadOnlySpan<byte> needle)
    {
        var at = _buffer.AsSpan(_start, _end - _start).IndexOf(needle);
        return at < 0 ? -1 : _start + at;
    }

    private async Task<bool> FillAsync()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end));
        _end += read;
        return read > 0;
    }

    private ValueTask WriteAsync(string text) => _stream.WriteAsync(Encoding.ASCII.GetBytes(text));

#pragma warning disable CA5350 // RFC 6455 defines the accept value with SHA-1; it is not used for security here.
    internal static string WebSocketAccept(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
}
