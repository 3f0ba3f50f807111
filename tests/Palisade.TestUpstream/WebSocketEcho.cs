using System.Text;

namespace Palisade.TestUpstream;

/// <summary>Accepts a WebSocket upgrade and echoes every message back (unmasked, as a server must) until close.</summary>
internal static class WebSocketEcho
{
    public static async Task RunAsync(Stream stream, RecordedRequest request, ReadOnlyMemory<byte> alreadyRead)
    {
        var accept = RecordingConnection.WebSocketAccept(request.Header("Sec-WebSocket-Key") ?? "");
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"));
        var input = new PrefixedStream(alreadyRead, stream);
        while (true)
        {
            var header = await ReadAsync(input, 2);
            var opcode = header[0] & 0x0F;
            var masked = (header[1] & 0x80) != 0;
            long length = header[1] & 0x7F;
            if (length == 126)
            {
                var ext = await ReadAsync(input, 2);
                length = (ext[0] << 8) | ext[1];
            }
            else if (length == 127)
            {
                var ext = await ReadAsync(input, 8);
                length = 0;
                foreach (var b in ext)
                {
                    length = (length << 8) | b;
                }
            }

            var mask = masked ? await ReadAsync(input, 4) : [];
            var payload = await ReadAsync(input, (int)length);
            for (var i = 0; i < payload.Length && masked; i++)
            {
                payload[i] ^= mask[i % 4];
            }

            if (opcode == 0x8)
            {
                await stream.WriteAsync(new byte[] { 0x88, 0x00 });
                return;
            }

            var frame = new List<byte> { (byte)(0x80 | opcode) };
            if (payload.Length < 126)
            {
                frame.Add((byte)payload.Length);
            }
            else
            {
                frame.Add(126);
                frame.Add((byte)(payload.Length >> 8));
                frame.Add((byte)payload.Length);
            }

            frame.AddRange(payload);
            await stream.WriteAsync(frame.ToArray());
        }
    }

    private static async Task<byte[]> ReadAsync(Stream stream, int count)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer);
        return buffer;
    }

    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_prefix.IsEmpty)
            {
                return await inner.ReadAsync(buffer, cancellationToken);
            }

            var take = Math.Min(buffer.Length, _prefix.Length);
            _prefix[..take].CopyTo(buffer);
            _prefix = _prefix[take..];
            return take;
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
