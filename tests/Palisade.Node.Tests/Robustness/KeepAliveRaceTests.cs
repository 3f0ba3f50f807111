using System.Net;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Robustness;

/// <summary>
/// ROBUSTNESS.md U07: an application whose keep-alive timeout is shorter than the node's pooled-connection idle
/// timeout closes a connection just as the node reuses it. Requests are sent with idle gaps around the
/// application's timeout (its timeout ± 100 ms), so some of them land in the race.
/// </summary>
public sealed class KeepAliveRaceTests
{
    private static readonly TimeSpan AppTimeout = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(60);

    [Fact]
    public async Task U07_IdempotentRequestsLostToTheApplicationsIdleClose_AreRetriedOnceAndAllSucceed()
    {
        await using var app = new ImpatientKeepAliveApp(AppTimeout, Grace);

        // The node keeps idle connections longer than this application does (the default): the race happens.
        await using var node = await NodeUnderTest.StartAsync(o => o with { Upstream = app.Address }, withUpstream: false);

        var statuses = await SendWithGapsAsync(node, AppTimeout, rounds: 2, () => new HttpRequestMessage(HttpMethod.Get, "/shop/items?page=2"));

        Assert.True(app.Dropped > 0, "no request met the application's idle close: the test did not exercise the race");
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var metrics = await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var retries = metrics.Split('\n').Single(l => l.StartsWith("palisade_upstream_retries_total ", StringComparison.Ordinal));
        // Every dropped request was retried; a request that met the close just after the application counted its unread
        // bytes was retried too, so there may be more retries than counted drops, never fewer.
        Assert.InRange((int)double.Parse(retries.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), app.Dropped, statuses.Count);
    }

    [Fact]
    public async Task U07_AnUpstreamKeepAliveTimeoutBelowTheApplications_AvoidsTheRaceForRequestsThatCannotBeRetried()
    {
        // The pool closes an idle connection up to a second after its timeout: 0.2 s here, so by 1.2 s, well before
        // this application starts dropping requests (1.6 s less its 60 ms grace).
        var appTimeout = TimeSpan.FromMilliseconds(1600);
        await using var app = new ImpatientKeepAliveApp(appTimeout, Grace);
        await using var node = await NodeUnderTest.StartAsync(
            o => o with { Upstream = app.Address, UpstreamKeepAliveTimeout = TimeSpan.FromMilliseconds(200) },
            withUpstream: false);

        var statuses = await SendWithGapsAsync(node, appTimeout, rounds: 1, () => new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = new StringContent("{\"item\":42,\"quantity\":1}", System.Text.Encoding.UTF8, "application/json"),
        });

        Assert.True(app.Dropped == 0, $"{app.Dropped} requests lost to the application's idle close; statuses: {string.Join(",", statuses.Select(s => (int)s))}");
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    // Idle gaps from the application's timeout - 100 ms to + 100 ms in 20 ms steps, `rounds` times.
    private static async Task<List<HttpStatusCode>> SendWithGapsAsync(NodeUnderTest node, TimeSpan appTimeout, int rounds, Func<HttpRequestMessage> request)
    {
        var statuses = new List<HttpStatusCode>();
        using (var first = await node.Client.SendAsync(request()))
        {
            statuses.Add(first.StatusCode);
        }

        foreach (var gap in Enumerable.Range(0, 11 * rounds).Select(i => appTimeout + TimeSpan.FromMilliseconds(-100 + (i % 11 * 20))))
        {
            await Task.Delay(gap);
            using var response = await node.Client.SendAsync(request());
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }
}
