using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Palisade.Node.Events;
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
