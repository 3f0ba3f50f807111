using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Palisade.Node.Events;
using Palisade.Node.Metrics;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Events;

/// <summary>Events to a syslog collector on loopback: RFC 5424 over UDP and octet-counted TCP, failures and recovery, masking.</summary>
public sealed partial class SyslogEventSinkTests
{
    private const string Secrets = "hunter2-very-secret";

    [Fact]
    public async Task Udp_Attack_ArrivesAsAnRfc5424MessageWithTheMaskedJson()
    {
        using var collector = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)collector.Client.LocalEndPoint!).Port;
        await using var node = await NodeUnderTest.StartFromFileAsync($"mode: block\nevent-syslog: udp://127.0.0.1:{port}\n");

        var requestId = await SendAttackWithSecretsAsync(node);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = await collector.ReceiveAsync(timeout.Token);
        var message = Encoding.UTF8.GetString(received.Buffer);

        Assert.Matches(Header(), message);
        Assert.Contains($"\"request_id\":\"{requestId}\"", message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secrets, message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-token-123", message, StringComparison.Ordinal);
        Assert.DoesNotContain("sess-abcdef-secret", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tcp_CollectorDownThenUp_DropsAndCountsThenDeliversOctetCountedFrames()
    {
        var port = TestUpstream.TestUpstreamProcess.FreePort();
        await using var node = await NodeUnderTest.StartFromFileAsync($"mode: block\nevent-syslog: tcp://127.0.0.1:{port}\n");

        await SendAttackWithSecretsAsync(node);
        await WaitUntilAsync(async () => (await MetricsAsync(node)).Contains("palisade_events_dropped_total{sink=\"syslog\",reason=\"write_failed\"} 1", StringComparison.Ordinal));

        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        try
        {
            var requestId = await SendAttackWithSecretsAsync(node);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var connection = await listener.AcceptTcpClientAsync(timeout.Token);
            var message = await ReadFrameAsync(connection.GetStream(), timeout.Token);

            Assert.Matches(Header(), message);
            Assert.Contains($"\"request_id\":\"{requestId}\"", message, StringComparison.Ordinal);
            Assert.DoesNotContain(Secrets, message, StringComparison.Ordinal);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Tcp_CollectorStopsReading_BatchGivenUpWithinTheTimeoutThenTheNextBatchReconnects()
    {
        var listener = SmallWindowListener();
        try
        {
            var logger = new RecordingLogger<SyslogEventSink>();
            using var sink = new SyslogEventSink(Target(listener), logger, sendTimeout: TimeSpan.FromSeconds(1));
            var stalledAccept = listener.AcceptSocketAsync(TestContext.Current.CancellationToken);

            // The collector accepted the connection and never reads: its window and the sender's buffers fill up.
            var written = await WriteUntilShortAsync(sink).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            using var stalled = await stalledAccept;

            Assert.True(written.Written < written.Batch, "a batch the collector does not read is given up");
            Assert.Contains(logger.Entries, e => e.EventName == "SyslogSendFailed" && e.Exception is TimeoutException);

            // The collector reads again: the next batch opens a new connection and arrives.
            var readingAccept = listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
            Assert.Equal(1, await sink.WriteAsync([SqliteAttackLogTests.Attack("after-stall", DateTimeOffset.UtcNow)], TestContext.Current.CancellationToken)
                .AsTask().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
            using var reading = await readingAccept.AsTask().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            Assert.Contains("\"request_id\":\"after-stall\"", await ReadFrameAsync(reading.GetStream(), timeout.Token), StringComparison.Ordinal);
            Assert.Contains(logger.Entries, e => e.EventName == "SyslogRecovered");
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Tcp_CollectorStopsReading_DropsAreCountedAndDisposeDoesNotHang()
    {
        var listener = SmallWindowListener();
        try
        {
            var metrics = new NodeMetrics("block");
            using var sink = new SyslogEventSink(Target(listener), new RecordingLogger<SyslogEventSink>(), sendTimeout: TimeSpan.FromSeconds(1));
            var queue = new EventSinkChannel(sink, 10_000, metrics, drainTimeout: TimeSpan.FromSeconds(3));
            const int published = 16 * EventSinkChannel.MaxBatch;
            for (var i = 0; i < published; i++)
            {
                Assert.True(queue.TryEnqueue(BigAttack($"stalled-{i}")));
            }

            await queue.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

            var writeFailed = metrics.EventsDropped("syslog", EventDropReason.WriteFailed).Value;
            Assert.InRange(writeFailed, 1, published);
            Assert.Equal(0, metrics.EventsDropped("syslog", EventDropReason.QueueFull).Value);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Tcp_ConnectTimesOut_IsLoggedAndTheBatchIsDropped()
    {
        // A listener whose accept queue is full: the kernel drops the next handshakes, a connect never completes.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(1);
        var fillers = new List<Socket>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var filler = new Socket(SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(filler);
                using var fillTimeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
                try
                {
                    await filler.ConnectAsync(listener.LocalEndpoint, fillTimeout.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }

            var logger = new RecordingLogger<SyslogEventSink>();
            using var sink = new SyslogEventSink(Target(listener), logger, connectTimeout: TimeSpan.FromMilliseconds(500));

            var written = await sink.WriteAsync([SqliteAttackLogTests.Attack("never", DateTimeOffset.UtcNow)], TestContext.Current.CancellationToken)
                .AsTask().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

            Assert.Equal(0, written);
            Assert.Contains(logger.Entries, e => e.EventName == "SyslogSendFailed" && e.Level == LogLevel.Warning);
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
            listener.Stop();
        }
    }

    [Fact]
    public async Task Tcp_ConnectionRefused_IsLoggedAndCounted()
    {
        var metrics = new NodeMetrics("block");
        var logger = new RecordingLogger<SyslogEventSink>();
        using var sink = new SyslogEventSink(new SyslogTarget(true, "127.0.0.1", TestUpstream.TestUpstreamProcess.FreePort()), logger);
        await using (var queue = new EventSinkChannel(sink, 100, metrics))
        {
            queue.TryEnqueue(SqliteAttackLogTests.Attack("refused", DateTimeOffset.UtcNow));
        }

        Assert.Equal(1, metrics.EventsDropped("syslog", EventDropReason.WriteFailed).Value);
        Assert.Contains(logger.Entries, e => e.EventName == "SyslogSendFailed" && e.Exception is SocketException);
    }

    [Theory]
    [InlineData("udp://127.0.0.1:514", false, "127.0.0.1", 514)]
    [InlineData("tcp://logs.example.com:601", true, "logs.example.com", 601)]
    [InlineData("TCP://[::1]:6514", true, "::1", 6514)]
    public void Parse_Addresses_AreReadWithTheirTransport(string text, bool tcp, string host, int port)
    {
        Assert.Equal(new SyslogTarget(tcp, host, port), SyslogTarget.Parse(text));
    }

    [Theory]
    [InlineData("127.0.0.1:514")]
    [InlineData("http://127.0.0.1:514")]
    [InlineData("udp://127.0.0.1")]
    [InlineData("udp://127.0.0.1:514/path")]
    public void Parse_NotASyslogAddress_IsAFormatError(string text)
    {
        Assert.Throws<FormatException>(() => SyslogTarget.Parse(text));
    }

    [GeneratedRegex(@"^<132>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \S+ palisade \d+ attack - \{""time"":")]
    private static partial Regex Header();

    private static async Task<string> SendAttackWithSecretsAsync(NodeUnderTest node)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/login?next=1%27%20union%20select%20password%20from%20users--", UriKind.Relative))
        {
            Content = new StringContent($$"""{"username":"alice","password":"{{Secrets}}' OR '1'='1"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer s3cr3t-token-123");
        request.Headers.TryAddWithoutValidation("Cookie", "session=sess-abcdef-secret");
        using var response = await node.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id"));
    }

    private static async Task<string> ReadFrameAsync(Stream stream, CancellationToken cancellationToken)
    {
        var length = 0;
        var one = new byte[1];
        while (true)
        {
            await stream.ReadExactlyAsync(one, cancellationToken);
            if (one[0] == (byte)' ')
            {
                break;
            }

            length = (length * 10) + (one[0] - '0');
        }

        var frame = new byte[length];
        await stream.ReadExactlyAsync(frame, cancellationToken);
        return Encoding.UTF8.GetString(frame);
    }

    // A collector whose connections have a small receive window, so that one that is not read stalls its sender soon.
    private static TcpListener SmallWindowListener()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Server.ReceiveBufferSize = 4096;
        listener.Start();
        return listener;
    }

    private static SyslogTarget Target(TcpListener listener) => new(true, "127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);

    // About 1 MB a batch; at most 64 batches before the collector's connection is full.
    private static async Task<(int Written, int Batch)> WriteUntilShortAsync(SyslogEventSink sink)
    {
        for (var round = 0; round < 64; round++)
        {
            var batch = Enumerable.Range(0, EventSinkChannel.MaxBatch).Select(i => (INodeEvent)BigAttack($"r{round}-{i}")).ToList();
            var written = await sink.WriteAsync(batch, TestContext.Current.CancellationToken);
            if (written < batch.Count)
            {
                return (written, batch.Count);
            }
        }

        return (EventSinkChannel.MaxBatch, EventSinkChannel.MaxBatch);
    }

    private static AttackEvent BigAttack(string requestId) =>
        SqliteAttackLogTests.Attack(requestId, DateTimeOffset.UtcNow, path: "/" + new string('a', 4096));

    private static Task<string> MetricsAsync(NodeUnderTest node) => node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "not within 10 s");
            await Task.Delay(50);
        }
    }
}
