using System.Net;
using System.Text.Json;
using Palisade.Node.Tests.Infrastructure;
using Palisade.TestUpstream;

namespace Palisade.Node.Tests.Proxy;

/// <summary>When the application misbehaves, the client gets an honest status and the node keeps serving.</summary>
public sealed class UpstreamFaultTests
{
    [Fact]
    public async Task U01_Forward_UpstreamDown_Answers502ThenRecoversWhenItComesBack()
    {
        var port = TestUpstreamProcess.FreePort();
        await using var node = await NodeUnderTest.StartAsync(o => o with { Upstream = new Uri($"http://127.0.0.1:{port}") }, withUpstream: false);

        using (var request = new HttpRequestMessage(HttpMethod.Get, "/down"))
        {
            request.Headers.Accept.ParseAdd("application/json");
            using var response = await node.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            Assert.Equal("bad_gateway", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
            Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id"));
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await node.Admin.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode);
        Assert.Contains("palisade_upstream_errors_total{kind=\"connect\"} 1", await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);

        await using var upstream = await TestUpstreamProcess.StartAsync(port);
        using var recovered = await node.Client.GetAsync(new Uri("/up", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }

    [Fact]
    public async Task U02_Forward_UpstreamTooSlow_Answers504()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { UpstreamTimeout = TimeSpan.FromMilliseconds(500) });
        using var response = await node.Client.GetAsync(new Uri("/__delay/5000", UriKind.Relative));
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("palisade_upstream_errors_total{kind=\"timeout\"} 1", await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task U02_Forward_UpstreamSilentMidBody_AbortsTheResponseAndCountsATimeout()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { UpstreamTimeout = TimeSpan.FromSeconds(1) });
        using var response = await node.Client.GetAsync(new Uri("/__gated/u02-mid-body", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        Assert.Equal("first", await reader.ReadLineAsync(TestContext.Current.CancellationToken));

        // The application never sends the rest: after the timeout the response is cut, never completed.
        await Assert.ThrowsAnyAsync<Exception>(async () => await reader.ReadToEndAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        // The client may see the cut before the node has counted it.
        var metrics = "";
        for (var i = 0; i < 50 && !metrics.Contains("palisade_upstream_errors_total{kind=\"timeout\"} 1", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            metrics = await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        }

        Assert.Contains("palisade_upstream_errors_total{kind=\"timeout\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("palisade_upstream_errors_total{kind=\"client_aborted\"} 0", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task U03_Forward_UpstreamResetsMidBody_ClientNeverSeesACompleteResponse()
    {
        await using var node = await NodeUnderTest.StartAsync();
        HttpResponseMessage? response;
        try
        {
            response = await node.Client.GetAsync(new Uri("/__reset", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        }
        catch (HttpRequestException e) when (e.InnerException is IOException)
        {
            // The node had sent the headers and cut the connection, and the cut reached the client before it
            // read them: no response at all, which is not a complete one either.
            response = null;
        }

        // If the reset arrives before the node has the response headers, the client gets 502; if after, the
        // headers went out already and the body must end in an error, never in a short read that looks complete.
        using (response)
        {
            if (response?.StatusCode == HttpStatusCode.BadGateway)
            {
                Assert.Contains("Bad gateway", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            else if (response is not null)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsByteArrayAsync());
            }
        }

        using var next = await node.Client.GetAsync(new Uri("/still-serving", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task U04_Forward_UpstreamAnswersGarbage_Answers502()
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var response = await node.Client.GetAsync(new Uri("/__garbage", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Fact]
    public async Task Forward_UpstreamErrorStatus_PassedThroughUnchanged()
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var response = await node.Client.GetAsync(new Uri("/__status/503", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("recorder", Assert.Single(response.Headers.GetValues("X-Upstream")));
    }
}
