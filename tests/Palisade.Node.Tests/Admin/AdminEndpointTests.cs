using System.Net;
using System.Text.Json;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Admin;

/// <summary>Health, readiness and metrics on the read-only admin listener.</summary>
public sealed class AdminEndpointTests
{
    [Fact]
    public async Task Healthz_Running_Answers200()
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var response = await node.Admin.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alive", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readyz_UpstreamUp_Answers200()
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var response = await node.Admin.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task K01_Readyz_UpstreamDown_Answers503WithReason()
    {
        await using var node = await NodeUnderTest.StartAsync(withUpstream: false);
        using var response = await node.Admin.GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var reasons = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("reasons");
        Assert.Equal("upstream_unreachable", Assert.Single(reasons.EnumerateArray()).GetString());
    }

    [Fact]
    public async Task K02_Readyz_WhileDraining_Answers503AndInFlightRequestCompletes()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { DrainTimeout = TimeSpan.FromSeconds(10) });
        var inFlight = node.Client.GetAsync(new Uri("/__gated/drain", UriKind.Relative));
        await WaitUntilAsync(async () => await node.Upstream!.ReceivedAsync("/__gated/drain") == 1);

        var stopping = node.Node.StopAsync();
        await WaitUntilAsync(() => Task.FromResult(node.Node.Readiness.IsDraining));
        using (var ready = await node.Admin.GetAsync(new Uri("/readyz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("draining", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (await new HttpClient().GetAsync(new Uri(node.Upstream!.Address, "/__release/drain")))
        {
        }

        using var response = await inFlight;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("first\nlast\n", await response.Content.ReadAsStringAsync());
        await stopping;
    }

    [Fact]
    public async Task Metrics_AfterTraffic_ExposesPrometheusText()
    {
        await using var node = await NodeUnderTest.StartAsync();
        using (await node.Client.GetAsync(new Uri("/clean", UriKind.Relative)))
        {
        }

        using var response = await node.Admin.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("palisade_requests_total{action=\"pass\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE palisade_attacks_total counter", text, StringComparison.Ordinal);
        Assert.Contains("palisade_inspection_duration_seconds_bucket", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE palisade_inspection_queue_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE palisade_upstream_errors_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE palisade_upstream_retries_total counter", text, StringComparison.Ordinal);
        Assert.Contains("process_working_set_bytes", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A02_Admin_MutatingMethod_NotAllowed()
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var response = await node.Admin.PostAsync(new Uri("/metrics", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
