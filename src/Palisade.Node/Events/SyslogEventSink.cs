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

    /// <summary>How long one batch may take to reach the collector's connection before it is given up.</summary>
    public static readonly TimeSpan DefaultSendTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long opening a connection to the collector may take.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(2);

    private const int Local0 = 16;

    private readonly SyslogTarget _target;
    private readonly string _targetText;
    private readonly ILogger _logger;
    private readonly TimeSpan _sendTimeout;
    private readonly TimeSpan _connectTimeout;
    private readonly string _hostName;
    private readonly string _processId;
    private readonly ArrayBufferWriter<byte> _json = new(4096);
    private readonly ArrayBufferWriter<byte> _frame = new(4096);
    private Socket? _socket;
    private bool _failing;

    /// <param name="target">The collector.</param>
    /// <param name="logger">Where failures are logged.</param>
    /// <param name="sendTimeout">How long one batch may take to send (default <see cref="DefaultSendTimeout"/>).</param>
    /// <param name="connectTimeout">How long a connection may take to open (default <see cref="DefaultConnectTimeout"/>).</param>
    public SyslogEventSink(SyslogTarget target, ILogger logger, TimeSpan? sendTimeout = null, TimeSpan? connectTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        _target = target;
        _targetText = target.ToString();
        _logger = logger;
        _sendTimeout = sendTimeout ?? DefaultSendTimeout;
        _connectTimeout = connectTimeout ?? DefaultConnectTimeout;
        _hostName = Sanitize(Environment.MachineName);
        _processId = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    }

    public string Name => "syslog";

    /// <summary>
    /// Sends the batch; returns how many events were handed to the collector's connection. A batch that fails, or
    /// that is not sent within the send timeout (a collector that stopped reading), closes the connection, which the
    /// next batch opens again.
    /// </summary>
    public async ValueTask<int> WriteAsync(IReadOnlyList<INodeEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var sent = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_sendTimeout);
        try
        {
            var socket = _socket ??= await ConnectAsync(timeout.Token);
            foreach (var nodeEvent in batch)
            {
                var message = Format(nodeEvent);
                if (_target.Tcp)
                {
                    _frame.ResetWrittenCount();
                    _frame.Write(Encoding.ASCII.GetBytes(message.Length.ToString(CultureInfo.InvariantCulture) + " "));
                    _frame.Write(message.Span);
                    await SendAllAsync(socket, _frame.WrittenMemory, timeout.Token);
                }
                else
                {
                    await socket.SendAsync(message.Length > MaxDatagramBytes ? message[..MaxDatagramBytes] : message, SocketFlags.None, timeout.Token);
                }

                sent++;
            }

            if (_failing)
            {
                _failing = false;
                Log.Recovered(_logger, _targetText);
            }

            return sent;
        }
        catch (SocketException e)
        {
            Fail(e);
        }
        catch (IOException e)
        {
            Fail(e);
        }
        catch (OperationCanceledException e)
        {
            // The connect or send timeout, or the node stopping: a half-sent frame leaves the stream unusable.
            Fail(cancellationToken.IsCancellationRequested ? e : new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"not sent within {_sendTimeout.TotalSeconds:0.###} s"), e));
        }

        return sent;
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
            timeout.CancelAfter(_connectTimeout);
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
