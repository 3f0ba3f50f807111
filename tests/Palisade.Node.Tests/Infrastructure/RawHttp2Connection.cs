using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;

namespace Palisade.Node.Tests.Infrastructure;

/// <summary>
/// A prior-knowledge HTTP/2 client that writes frames exactly as told, malformed ones included, and reads the
/// node's frames back: for the abuse cases (rapid reset, CONTINUATION and control-frame floods, malformed requests)
/// that HttpClient cannot produce. Header blocks are HPACK literals without indexing or Huffman coding.
/// </summary>
internal sealed class RawHttp2Connection : IAsyncDisposable
{
    public const byte Data = 0x0, Headers = 0x1, RstStream = 0x3, Settings = 0x4, Ping = 0x6, GoAway = 0x7, WindowUpdate = 0x8, Continuation = 0x9;
    public const byte EndStream = 0x1, EndHeaders = 0x4, Ack = 0x1;
    public const int ProtocolError = 0x1, InternalError = 0x2, Cancel = 0x8, EnhanceYourCalm = 0xb;

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly byte[] _header = new byte[9];

    private RawHttp2Connection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    /// <summary>Connects, sends the preface and a SETTINGS frame with <paramref name="settings"/>.</summary>
    public static async Task<RawHttp2Connection> OpenAsync(Uri node, params (ushort Id, uint Value)[] settings)
    {
        var client = new TcpClient();
        await client.ConnectAsync(node.Host, node.Port);
        var connection = new RawHttp2Connection(client);
        var payload = new byte[settings.Length * 6];
        for (var i = 0; i < settings.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(i * 6), settings[i].Id);
            BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(i * 6 + 2), settings[i].Value);
        }

        byte[] start = [.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, .. Frame(Settings, 0, 0, payload)];
        await connection.SendAsync(start);
        return connection;
    }

    /// <summary>One frame's bytes.</summary>
    public static byte[] Frame(byte type, byte flags, int stream, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), stream & int.MaxValue);
        payload.CopyTo(frame.AsSpan(9));
        return frame;
    }

    /// <summary>A header block: each field a literal without indexing, names and values as given (no case folding).</summary>
    public static byte[] HeaderBlock(params (string Name, string Value)[] fields)
    {
        var block = new List<byte>();
        foreach (var (name, value) in fields)
        {
            block.Add(0x00);
            AddString(block, name);
            AddString(block, value);
        }

        return [.. block];
    }

    /// <summary>A GET request's header block for <paramref name="path"/>, with <paramref name="extra"/> fields after the pseudo-headers.</summary>
    public static byte[] Get(string path, params (string Name, string Value)[] extra) =>
        HeaderBlock([(":method", "GET"), (":scheme", "http"), (":authority", "node"), (":path", path), .. extra]);

    public static byte[] RstStreamFrame(int stream, int error)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(payload, error);
        return Frame(RstStream, 0, stream, payload);
    }

    public async Task SendAsync(ReadOnlyMemory<byte> bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Sends, and reports false instead of throwing when the node has closed the connection.</summary>
    public async Task<bool> TrySendAsync(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            await _stream.WriteAsync(bytes);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The next frame, or null when the connection ends or nothing arrives within <paramref name="quiet"/>.</summary>
    public async Task<Http2Frame?> ReadFrameAsync(TimeSpan quiet)
    {
        using var timeout = new CancellationTokenSource(quiet);
        try
        {
            await _stream.ReadExactlyAsync(_header, timeout.Token);
            var length = (_header[0] << 16) | (_header[1] << 8) | _header[2];
            var payload = new byte[length];
            await _stream.ReadExactlyAsync(payload, timeout.Token);
            return new Http2Frame(_header[3], _header[4], BinaryPrimitives.ReadInt32BigEndian(_header.AsSpan(5)) & int.MaxValue, payload);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or EndOfStreamException)
        {
            return null;
        }
    }

    /// <summary>Reads frames until the connection ends or is quiet, acknowledging nothing.</summary>
    public async Task<List<Http2Frame>> ReadAllAsync(TimeSpan quiet)
    {
        var frames = new List<Http2Frame>();
        while (await ReadFrameAsync(quiet) is { } frame)
        {
            frames.Add(frame);
        }

        return frames;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private static void AddString(List<byte> block, string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        AddInteger(block, bytes.Length, 7, 0);
        block.AddRange(bytes);
    }

    private static void AddInteger(List<byte> block, int value, int prefixBits, byte flags)
    {
        var max = (1 << prefixBits) - 1;
        if (value < max)
        {
            block.Add((byte)(flags | value));
            return;
        }

        block.Add((byte)(flags | max));
        value -= max;
        while (value >= 128)
        {
            block.Add((byte)((value % 128) + 128));
            value /= 128;
        }

        block.Add((byte)value);
    }
}

/// <summary>A frame read from the node.</summary>
internal sealed record Http2Frame(byte Type, byte Flags, int Stream, byte[] Payload)
{
    /// <summary>The error code of a GOAWAY or RST_STREAM frame.</summary>
    public int ErrorCode => Type switch
    {
        RawHttp2Connection.GoAway => BinaryPrimitives.ReadInt32BigEndian(Payload.AsSpan(4)),
        RawHttp2Connection.RstStream => BinaryPrimitives.ReadInt32BigEndian(Payload),
        _ => -1,
    };

    /// <summary>The <c>:status</c> of a HEADERS frame the node sent (its first field, as Kestrel encodes it), or 0.</summary>
    public int Status
    {
        get
        {
            if (Type != RawHttp2Connection.Headers || Payload.Length == 0)
            {
                return 0;
            }

            var first = Payload[0];
            int[] indexed = [200, 204, 206, 304, 400, 404, 500];
            if (first is >= 0x88 and <= 0x8e)
            {
                return indexed[first - 0x88];
            }

            // A literal whose name is static entry 8 (:status), with or without indexing, value not Huffman coded.
            if ((first is 0x48 or 0x08 or 0x18) && Payload.Length >= 5 && Payload[1] == 3)
            {
                return int.Parse(Encoding.ASCII.GetString(Payload, 2, 3), System.Globalization.CultureInfo.InvariantCulture);
            }

            return 0;
        }
    }
}
