using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Robustness;

/// <summary>
/// ROBUSTNESS.md L05-L07 on the node's prior-knowledge HTTP/2 (h2c) listener, with frames written by hand: rapid
/// reset, CONTINUATION and control-frame floods, a window that never opens, and requests HTTP/2 calls malformed.
/// </summary>
public sealed class Http2AbuseTests(NodeFixture fixture) : IClassFixture<NodeFixture>
{
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(5);

    private NodeUnderTest Node => fixture.Node;

    [Fact]
    public async Task L05_RapidReset_EndsTheConnectionWithEnhanceYourCalm()
    {
        var marker = FrontDoorProbe.Marker("L05");
        await using var connection = await RawHttp2Connection.OpenAsync(Node.Node.ProxyAddress);
        const int Streams = 20_000;
        var sent = 0;
        var frames = new List<Http2Frame>();
        while (sent < Streams)
        {
            var batch = new List<byte>();
            for (var i = 0; i < 100; i++, sent++)
            {
                var stream = (sent * 2) + 1;
                batch.AddRange(RawHttp2Connection.Frame(RawHttp2Connection.Headers, RawHttp2Connection.EndStream | RawHttp2Connection.EndHeaders, stream, RawHttp2Connection.Get($"/{marker}/{stream}")));
                batch.AddRange(RawHttp2Connection.RstStreamFrame(stream, RawHttp2Connection.Cancel));
            }

            if (!await connection.TrySendAsync(batch.ToArray()))
            {
                break;
            }

            while (await connection.ReadFrameAsync(TimeSpan.FromMilliseconds(1)) is { } frame)
            {
                frames.Add(frame);
            }

            if (frames.Any(f => f.Type == RawHttp2Connection.GoAway))
            {
                break;
            }
        }

        frames.AddRange(await connection.ReadAllAsync(Quiet));
        var goAway = frames.LastOrDefault(f => f.Type == RawHttp2Connection.GoAway);
        var reached = await Node.Upstream!.ReceivedAsync(marker);

        // Kestrel counts streams reset before their request finished and ends the connection past its threshold
        // (ENHANCE_YOUR_CALM; the GOAWAY can be lost in the reset of a socket the client is still writing to).
        // On a loaded machine the flood can also end it through Kestrel's catch-all (INTERNAL_ERROR, seen once in
        // a full run beside two builds): either way the connection is ended, which is what is required.
        Assert.True(sent < Streams, $"the node took all {Streams} reset streams");
        Assert.True(goAway is null || goAway.ErrorCode is RawHttp2Connection.EnhanceYourCalm or RawHttp2Connection.InternalError, $"GOAWAY with error {goAway?.ErrorCode}");
        Assert.True(reached <= 100, $"{reached} reset requests reached the application");
        await AssertServedAsync();
    }

    [Fact]
    public async Task L06_ContinuationFlood_IsCutOffAtTheHeaderLimit()
    {
        var marker = FrontDoorProbe.Marker("L06");
        await using var connection = await RawHttp2Connection.OpenAsync(Node.Node.ProxyAddress);
        await connection.SendAsync(RawHttp2Connection.Frame(RawHttp2Connection.Headers, RawHttp2Connection.EndStream, 1, RawHttp2Connection.Get($"/{marker}")));
        var pad = new string('a', 1000);
        var sent = 0;
        for (; sent < 10_000; sent++)
        {
            var block = RawHttp2Connection.HeaderBlock(($"x-pad-{sent}", pad));
            if (!await connection.TrySendAsync(RawHttp2Connection.Frame(RawHttp2Connection.Continuation, 0, 1, block)))
            {
                break;
            }
        }

        var frames = await connection.ReadAllAsync(Quiet);
        var reached = await Node.Upstream!.ReceivedAsync(marker);

        // The header block passes the 32 KiB header limit within the first frames: the connection ends there.
        Assert.True(sent < 10_000, "the node took 10 MB of CONTINUATION frames");
        Assert.All(frames.Where(f => f.Type == RawHttp2Connection.GoAway), f => Assert.NotEqual(0, f.ErrorCode));
        Assert.DoesNotContain(frames, f => f.Type == RawHttp2Connection.Headers);
        Assert.Equal(0, reached);
        await AssertServedAsync();
    }

    [Theory]
    [InlineData(RawHttp2Connection.Settings)]
    [InlineData(RawHttp2Connection.Ping)]
    public async Task L06_ControlFrameFloodFromAClientThatReadsNothing_IsPushedBack(byte type)
    {
        await using var connection = await RawHttp2Connection.OpenAsync(Node.Node.ProxyAddress);
        var frame = RawHttp2Connection.Frame(type, 0, 0, type == RawHttp2Connection.Ping ? new byte[8] : []);
        var batch = Enumerable.Repeat(frame, 1000).SelectMany(f => f).ToArray();
        long accepted = 0;
        var flooding = Task.Run(async () =>
        {
            for (var i = 0; i < 3000; i++)
            {
                if (!await connection.TrySendAsync(batch))
                {
                    return;
                }

                Interlocked.Add(ref accepted, batch.Length);
            }
        });
        await Task.WhenAny(flooding, Task.Delay(TimeSpan.FromSeconds(5)));

        // Each frame is answered by one of the same size (no amplification), and once the unread answers fill the
        // sockets the node stops reading: what it holds is bounded by the socket buffers, not by the flood.
        Assert.False(flooding.IsCompleted, "the node read the whole flood without being read from");
        Assert.True(Interlocked.Read(ref accepted) < 24L * 1024 * 1024, $"{Interlocked.Read(ref accepted)} bytes taken");
        await connection.DisposeAsync();
        await AssertServedAsync();
    }

    [Fact]
    public async Task L06_AWindowThatNeverOpens_ResetsTheStreamAfterTheTimeoutAndReleasesTheApplication()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { UpstreamTimeout = TimeSpan.FromSeconds(2) });
        var marker = FrontDoorProbe.Marker("L06-window");
        const ushort InitialWindowSize = 0x4;
        await using var connection = await RawHttp2Connection.OpenAsync(node.Node.ProxyAddress, (InitialWindowSize, 0));
        await connection.SendAsync(RawHttp2Connection.Frame(RawHttp2Connection.Headers, RawHttp2Connection.EndStream | RawHttp2Connection.EndHeaders, 1, RawHttp2Connection.Get($"/__large/8/{marker}")));

        var frames = new List<Http2Frame>();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline && !frames.Any(f => f.Type == RawHttp2Connection.RstStream && f.Stream == 1))
        {
            if (await connection.ReadFrameAsync(TimeSpan.FromSeconds(1)) is { } frame)
            {
                frames.Add(frame);
            }
        }

        Assert.Contains(frames, f => f.Type == RawHttp2Connection.Headers && f.Stream == 1 && f.Status == 200);
        Assert.DoesNotContain(frames, f => f.Type == RawHttp2Connection.Data && f.Stream == 1 && f.Payload.Length > 0);
        Assert.Contains(frames, f => f.Type == RawHttp2Connection.RstStream && f.Stream == 1);
        var released = 0;
        for (var i = 0; i < 100 && released == 0; i++)
        {
            // The application notices a moment after the client's stream is reset.
            await Task.Delay(100);
            released = await node.Upstream!.ReceivedAsync("large-aborted:" + marker);
        }

        Assert.Equal(1, released);
    }

    [Theory]
    [InlineData("content-length")]
    [InlineData("transfer-encoding")]
    [InlineData("path-space")]
    [InlineData("path-crlf")]
    [InlineData("upper-case")]
    [InlineData("connection")]
    public async Task L07_MalformedRequest_IsRefusedAndNeverForwarded(string kind)
    {
        var marker = FrontDoorProbe.Marker("L07");
        await using var connection = await RawHttp2Connection.OpenAsync(Node.Node.ProxyAddress);
        byte[] request = kind switch
        {
            "content-length" => [.. RawHttp2Connection.Frame(RawHttp2Connection.Headers, RawHttp2Connection.EndHeaders, 1,
                    RawHttp2Connection.HeaderBlock((":method", "POST"), (":scheme", "http"), (":authority", "node"), (":path", $"/{marker}"), ("content-length", "5"))),
                .. RawHttp2Connection.Frame(RawHttp2Connection.Data, RawHttp2Connection.EndStream, 1, "0123456789"u8)],
            "transfer-encoding" => RawHttp2Connection.Frame(RawHttp2Connection.Headers, RawHttp2Connection.EndHeaders | RawHttp2Connection.EndStream, 1, RawHttp2Connection.Get($"/{marker}", ("transfer-encoding", "chunked"))),
            "path-space" => RawHttp2Connection.Frame(RawHttp2Connection.Headers, RawHttp2Connection.EndHeaders | RawHttp2Connection.EndStream, 1, RawHttp2Connection.Get($"/{marker} HTTP/1.1")),
            "path-crlf" => RawHttp2Connection.Frame(RawHttp2Connection.Headers, RawHttp2Connection.EndHeaders | RawHttp2Connection.EndStream, 1, RawHttp2Connection.Get($"/{marker}\r\nX-Smuggled: 1")),
            "upper-case" => RawHttp2Connection.Frame(RawHttp2Connection.Headers, RawHttp2Connection.EndHeaders | RawHttp2Connection.EndStream, 1, RawHttp2Connection.Get($"/{marker}", ("X-Upper", "1"))),
            _ => RawHttp2Connection.Frame(RawHttp2Connection.Headers, RawHttp2Connection.EndHeaders | RawHttp2Connection.EndStream, 1, RawHttp2Connection.Get($"/{marker}", ("connection", "keep-alive"))),
        };
        await connection.SendAsync(request);
        var frames = await connection.ReadAllAsync(TimeSpan.FromSeconds(2));

        // A stream reset, a connection error, or the front door's 400: never an answer from the application.
        Assert.Equal(0, await Node.Upstream!.ReceivedAsync(marker));
        var refusal = frames.FirstOrDefault(f => f.Stream == 1 && f.Type is RawHttp2Connection.Headers or RawHttp2Connection.RstStream)
            ?? frames.FirstOrDefault(f => f.Type == RawHttp2Connection.GoAway);
        Assert.NotNull(refusal);
        Assert.True(refusal.Type == RawHttp2Connection.Headers ? refusal.Status == 400 : refusal.ErrorCode == RawHttp2Connection.ProtocolError, $"{refusal.Type} {refusal.Status} {refusal.ErrorCode}");
    }

    [Theory]
    [InlineData("path", "/{0}?a=%00", "nul_in_target")]
    [InlineData("path", "/{0}?a=%zz", "bad_percent_encoding")]
    [InlineData("path", "/{0}#fragment", "fragment_in_target")]
    [InlineData("path", "/{0} HTTP/1.1", "bad_target")]
    [InlineData("transfer-encoding", "chunked", "connection_specific_header")]
    [InlineData("keep-alive", "timeout=5", "connection_specific_header")]
    [InlineData("content_length", "5", "underscore_in_framing_header")]
    [InlineData("content-type", "text/plain; charset=utf-7", "unsupported_charset")]
    public async Task L07_TheFrontDoorRulesHoldOverHttp2(string name, string value, string reason)
    {
        var marker = FrontDoorProbe.Marker("L07-front-door");
        var before = await FrontDoorProbe.ViolationsAsync(Node, reason);
        await using var connection = await RawHttp2Connection.OpenAsync(Node.Node.ProxyAddress);
        var block = name == "path"
            ? RawHttp2Connection.Get(string.Format(System.Globalization.CultureInfo.InvariantCulture, value, marker))
            : RawHttp2Connection.Get($"/{marker}", (name, value));
        await connection.SendAsync(RawHttp2Connection.Frame(RawHttp2Connection.Headers, RawHttp2Connection.EndStream | RawHttp2Connection.EndHeaders, 1, block));
        var frames = await connection.ReadAllAsync(TimeSpan.FromSeconds(2));

        var status = frames.First(f => f.Stream == 1 && f.Type == RawHttp2Connection.Headers).Status;
        Assert.Equal(reason == "unsupported_charset" ? 415 : 400, status);
        Assert.Equal(0, await Node.Upstream!.ReceivedAsync(marker));
        Assert.Equal(before + 1, await FrontDoorProbe.ViolationsAsync(Node, reason));
    }

    private async Task AssertServedAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/after-abuse") { Version = System.Net.HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await Node.Client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
