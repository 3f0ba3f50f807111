using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Palisade.Node.Events;

/// <summary>
/// Sends events to a syslog collector as RFC 5424 messages whose MSG is the event's JSON line (the same masked text
/// standard output gets): facility local0, severity warning for attacks and denied sources, notice for protocol
/// violations, APP-NAME <c>palisade</c>, MSGID the event kind. Over UDP each event is one datagram (cut at
/// <see cref="MaxDatagramBytes"/>); over TCP messages are octet-counted on one connection, reopened when it fails.
/// A collector that is down costs the batch (counted as <c>write_failed</c>), never the request path.
/// </summary>
public sealed partial class SyslogEventSink : INodeEventSink, IDisposable
{
    /// <summary>The largest datagram sent; RFC 5426 asks receivers to take at least 2,048 bytes and most take 8 KiB.</summary>
    public const int MaxDatagramBytes = 8192;

    private const int Local0 = 16;

    private readonly SyslogTarget _target;
    private readonly string _targetText;
    private readonly ILogger _logger;
    private readonly string _hostName;
    private readonly string _processId;
    private readonly ArrayBufferWriter<byte> _json = new(4096);
    private readonly ArrayBufferWriter<byte> _frame = new(4096);
    private Socket? _socket;
    private bool _failing;

    public SyslogEventSink(SyslogTarget target, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(target);
        _target = target;
        _targetText = target.ToString();
        _logger = logger;
        _hostName = Sanitize(Environment.MachineName);
        _processId = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    }

    public string Name => "syslog";

    public async ValueTask<bool> WriteAsync(IReadOnlyList<INodeEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        try
        {
            var socket = _socket ??= await ConnectAsync(cancellationToken);
            foreach (var nodeEvent in batch)
            {
                var message = Format(nodeEvent);
                if (_target.Tcp)
                {
                    _frame.ResetWrittenCount();
                    _frame.Write(Encoding.ASCII.GetBytes(message.Length.ToString(CultureInfo.InvariantCulture) + " "));
                    _frame.Write(message.Span);
                    await SendAllAsync(socket, _frame.WrittenMemory, cancellationToken);
                }
                else
                {
                    await socket.SendAsync(message.Length > MaxDatagramBytes ? message[..MaxDatagramBytes] : message, SocketFlags.None, cancellationToken);
                }
            }

            if (_failing)
            {
                _failing = false;
                Log.Recovered(_logger, _targetText);
            }

            return true;
        }
        catch (SocketException e)
        {
            Fail(e);
            return false;
        }
        catch (IOException e)
        {
            Fail(e);
            return false;
        }
    }

    public void Dispose() => _socket?.Dispose();

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await socket.SendAsync(bytes, SocketFlags.None, cancellationToken);
            bytes = bytes[sent..];
        }
    }

    private static string Sanitize(string name)
    {
        var printable = new string(name.Where(c => c is > ' ' and < (char)127).ToArray());
        return printable.Length == 0 ? "-" : printable[..Math.Min(printable.Length, 255)];
    }

    private static (int Severity, string MessageId) Kind(INodeEvent nodeEvent) => nodeEvent switch
    {
        AttackEvent => (4, "attack"),
        AccessDeniedEvent => (4, "ip_denied"),
        ProtocolViolationEvent => (5, "protocol_violation"),
        _ => (6, "event"),
    };

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = _target.Tcp
            ? new Socket(SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Dgram, ProtocolType.Udp);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await socket.ConnectAsync(_target.Host, _target.Port, timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG, with the event's JSON (without its line end) as MSG.
    private ReadOnlyMemory<byte> Format(INodeEvent nodeEvent)
    {
        var (severity, messageId) = Kind(nodeEvent);
        _json.ResetWrittenCount();
        var header = string.Create(CultureInfo.InvariantCulture,
            $"<{(Local0 * 8) + severity}>1 {DateTimeOffset.UtcNow:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {_hostName} palisade {_processId} {messageId} - ");
        _json.Write(Encoding.ASCII.GetBytes(header));
        nodeEvent.WriteJsonLine(_json);
        var written = _json.WrittenMemory;
        return written.Span[^1] == (byte)'\n' ? written[..^1] : written;
    }

    private void Fail(Exception e)
    {
        _socket?.Dispose();
        _socket = null;
        if (!_failing)
        {
            _failing = true;
            Log.SendFailed(_logger, _targetText, e);
        }
    }
}
