using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Palisade.Node.Events;
using Palisade.Node.Tests.Events;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Robustness;

/// <summary>A failing event sink (the SQLite attack log locked by another process) never slows the requests.</summary>
public sealed class AttackLogFaultTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task I02_AttackLogLocked_RequestsServedWithNormalLatencyDropsCountedThenRecovers()
    {
        var path = _directory.File("attacks.db");
        await using var node = await NodeUnderTest.StartAsync(o => o with { AttackLog = path });
        var log = node.Node.AttackLog!;
        var failed = node.Node.Metrics.EventsDropped("sqlite", EventDropReason.WriteFailed);
        Assert.True(log.IsUp);

        var slowest = TimeSpan.Zero;
        var attackIds = new List<string>();
        using (var holder = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            holder.Open();
            using var transaction = holder.BeginTransaction(deferred: false);
            for (var i = 0; i < 60; i++)
            {
                var uri = i % 2 == 0 ? $"/?q=1'%20OR%20'1'='{i}" : $"/items/{i}";
                var watch = Stopwatch.StartNew();
                using var response = await node.Client.GetAsync(new Uri(uri, UriKind.Relative), TestContext.Current.CancellationToken);
                watch.Stop();
                slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
                Assert.Equal(i % 2 == 0 ? HttpStatusCode.Forbidden : HttpStatusCode.OK, response.StatusCode);
                if (i % 2 == 0)
                {
                    attackIds.Add(Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id")));
                }
            }

            // Every attack still reaches standard output; the locked database drops (and counts) what it could not write.
            foreach (var id in attackIds)
            {
                await node.Events.WaitForAsync(id);
            }

            await AttackLogNodeTests.WaitUntilAsync(() => failed.Value >= 1);
            Assert.False(log.IsUp);
            var metrics = await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
            Assert.Contains("palisade_attack_log_up 0", metrics, StringComparison.Ordinal);
        }

        // A locked batch waits about a second on the sink's task: had it been on the request path, requests would show it.
        Assert.True(slowest < TimeSpan.FromMilliseconds(900), $"slowest request took {slowest.TotalMilliseconds} ms while the attack log was locked");

        using var after = await node.Client.GetAsync(new Uri("/?q=<script>alert(1)</script>", UriKind.Relative), TestContext.Current.CancellationToken);
        var stored = await AttackLogNodeTests.WaitForRowAsync(log, Assert.Single(after.Headers.GetValues("X-Palisade-Request-Id")));
        Assert.Contains("xss", stored.AttackTypes);
        Assert.True(log.IsUp);
        var lost = failed.Value;
        var kept = (await log.ListAsync(new AttackEventQuery { Limit = 1000 }, TestContext.Current.CancellationToken)).Count(e => attackIds.Contains(e.RequestId));
        Assert.Equal(attackIds.Count, kept + (int)lost);
    }
}
