using System.Net;
using System.Security.Cryptography;
using System.Text;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Proxy;

/// <summary>What was inspected is what the application receives: target, headers and body, byte for byte.</summary>
public sealed class ForwardingTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;

    public async ValueTask InitializeAsync() => _node = await NodeUnderTest.StartAsync(o => o with { InspectionLimit = 64 * 1024 });

    public ValueTask DisposeAsync() => _node.DisposeAsync();

    [Theory]
    [InlineData("/a%2Fb/c")]
    [InlineData("/p;jsessionid=ABC;v=1/q")]
    [InlineData("//double//slash/")]
    [InlineData("/search?a=1&a=2&a=3&b=")]
    [InlineData("/%7E%41%2e%2E/x?y=%41%2B+%20&%3D=%26")]
    [InlineData("/a/./b/../c?")]
    [InlineData("/?")]
    [InlineData("/unicode/%E2%82%AC?q=%C3%A9")]
    public async Task P03_Forward_RawTarget_ArrivesByteIdentical(string target)
    {
        var response = await RawHttp.SendAsync(_node.Node.ProxyAddress, $"GET {target} HTTP/1.1\r\nHost: app.example\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200", response, StringComparison.Ordinal);
        Assert.Equal(target, Recorded.FromRawResponse(response).Target);
    }

    [Fact]
    public async Task P06_Forward_NulEscapeInPath_RejectedAndNeverForwarded()
    {
        // Kestrel refuses a path that decodes to NUL (no option changes that); CRS 920270 blocks it as well.
        // The request is answered 400 before inspection and the application never sees it.
        var response = await RawHttp.SendAsync(_node.Node.ProxyAddress, "GET /nul%00marker-7f3a HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Equal(0, await _node.Upstream!.ReceivedAsync("marker-7f3a"));
    }

    [Fact]
    public async Task Forward_AbsoluteFormTarget_ArrivesAsOriginForm()
    {
        var response = await RawHttp.SendAsync(_node.Node.ProxyAddress, "GET http://app.example/x%2Fy?q=1 HTTP/1.1\r\nHost: app.example\r\nConnection: close\r\n\r\n");
        Assert.Equal("/x%2Fy?q=1", Recorded.FromRawResponse(response).Target);
    }

    [Fact]
    public async Task Forward_MixedCaseAndRepeatedHeaders_ArriveWithNamesAndValuesIntact()
    {
        var request = "POST /h HTTP/1.1\r\nHost: App.Example:8443\r\nX-MiXeD-CaSe: Keep  Me\r\nx-lower: v1\r\nX-Repeat: one\r\nX-Repeat: two\r\n"
            + "Accept-Language: fr-CH, fr;q=0.9\r\nUpgrade-Insecure-Requests: 1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";
        var recorded = Recorded.FromRawResponse(await RawHttp.SendAsync(_node.Node.ProxyAddress, request));

        Assert.Contains(("Host", "App.Example:8443"), recorded.Headers);
        Assert.Contains(("X-MiXeD-CaSe", "Keep  Me"), recorded.Headers);
        Assert.Contains(("x-lower", "v1"), recorded.Headers);
        Assert.Equal(["one, two"], recorded.Values("X-Repeat").Count == 1 ? recorded.Values("X-Repeat") : [string.Join(", ", recorded.Values("X-Repeat"))]);
        Assert.Equal(["fr-CH, fr;q=0.9"], recorded.Values("Accept-Language"));
        Assert.Equal(["1"], recorded.Values("Upgrade-Insecure-Requests"));
        Assert.Equal(["text/plain; charset=utf-8"], recorded.Values("Content-Type"));
        Assert.Equal("hello"u8.ToArray(), recorded.Body);
    }

    [Fact]
    public async Task Forward_ChunkedBody_ArrivesByteIdentical()
    {
        var request = "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
            + "5\r\nhello\r\n1;ext=1\r\n \r\n6\r\nworld!\r\n0\r\n\r\n";
        var recorded = Recorded.FromRawResponse(await RawHttp.SendAsync(_node.Node.ProxyAddress, request));
        Assert.Equal("hello world!"u8.ToArray(), recorded.Body);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64 * 1024)]
    [InlineData(64 * 1024 + 1)]
    [InlineData(5 * 1024 * 1024)]
    public async Task S02_Forward_BinaryBodyAroundInspectionLimit_ArrivesComplete(int size)
    {
        var body = RandomNumberGenerator.GetBytes(size);
        using var content = new ByteArrayContent(body);
        using var response = await _node.Client.PostAsync(new Uri("/bin", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var recorded = Recorded.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(SHA256.HashData(body), SHA256.HashData(recorded.Body));
        Assert.Contains(size.ToString(System.Globalization.CultureInfo.InvariantCulture), recorded.Values("Content-Length"));
    }

    [Fact]
    public async Task S02_Forward_LargeChunkedTextBodyOverLimit_ArrivesComplete()
    {
        var body = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("field=value&", 40_000)));
        using var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-www-form-urlencoded");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/form") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await _node.Client.SendAsync(request);
        var recorded = Recorded.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(recorded.Chunked);
        Assert.Equal(body, recorded.Body);
    }

    [Fact]
    public async Task Forward_AnyRequest_AddsForwardingHeadersAndRequestId()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fwd");
        request.Headers.Add("X-Forwarded-For", "6.6.6.6");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await _node.Client.SendAsync(request);
        var recorded = Recorded.Parse(await response.Content.ReadAsStringAsync());
        var id = Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id"));

        // The peer is not a trusted proxy: what it claims about others is replaced by its own address.
        Assert.Equal(["127.0.0.1"], recorded.Values("X-Forwarded-For"));
        Assert.Equal(["http"], recorded.Values("X-Forwarded-Proto"));
        Assert.Equal([id], recorded.Values("X-Request-Id"));
        Assert.Matches("^[0-9a-f]{32}$", id);
    }

    [Theory]
    [InlineData("trace-abc_123.def:9", true)]
    [InlineData("has space", false)]
    [InlineData("a,b;c", false)]
    public async Task Forward_ClientRequestId_KeptOnlyWhenValid(string id, bool kept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/rid");
        request.Headers.TryAddWithoutValidation("X-Request-Id", id);
        using var response = await _node.Client.SendAsync(request);
        var echoed = Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id"));
        Assert.Equal(kept, echoed == id);
        Assert.Equal([echoed], Recorded.Parse(await response.Content.ReadAsStringAsync()).Values("X-Request-Id"));
    }

    [Fact]
    public async Task Forward_TwoRequestsOnOneConnection_BothAnswered()
    {
        var response = await RawHttp.SendAsync(
            _node.Node.ProxyAddress,
            "GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        Assert.Equal(2, response.Split("HTTP/1.1 200").Length - 1);
        Assert.Contains("GET /one ", Decode(response), StringComparison.Ordinal);
        Assert.Contains("GET /two ", Decode(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forward_StreamingResponse_ReachesClientBeforeItEnds()
    {
        using var response = await _node.Client.GetAsync(new Uri("/__gated/g1", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        // The application holds back the rest until released: the first chunk can only arrive if the node streams.
        Assert.Equal("first", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
        using var release = await new HttpClient().GetAsync(new Uri(_node.Upstream!.Address, "/__release/g1"));
        Assert.Equal("last", await reader.ReadLineAsync());
    }

    [Fact]
    public async Task Forward_PriorKnowledgeHttp2_IsServedAndForwarded()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/h2?x=%2F") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await _node.Client.SendAsync(request);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("/h2?x=%2F", Recorded.Parse(await response.Content.ReadAsStringAsync()).Target);
    }

    [Fact]
    public async Task F15_Forward_WebSocketUpgrade_PassesThroughBothWays()
    {
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        var uri = new UriBuilder(_node.Node.ProxyAddress) { Scheme = "ws", Path = "/ws" }.Uri;
        await socket.ConnectAsync(uri, TestContext.Current.CancellationToken);
        await socket.SendAsync("hello through the node"u8.ToArray(), System.Net.WebSockets.WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);
        var buffer = new byte[256];
        var result = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken);
        Assert.Equal("hello through the node", Encoding.UTF8.GetString(buffer, 0, result.Count));
    }

    [Fact]
    public async Task Forward_AsteriskFormTarget_Answers400()
    {
        var response = await RawHttp.SendAsync(_node.Node.ProxyAddress, "OPTIONS * HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
        Assert.Contains("X-Palisade-Request-Id:", response, StringComparison.OrdinalIgnoreCase);
    }

    private static string Decode(string response) =>
        string.Join("\n", response.Split("\r\n\r\n").Where(p => p.StartsWith('{')).Select(p => Recorded.Parse(p[..(p.LastIndexOf('}') + 1)]).Head));
}
