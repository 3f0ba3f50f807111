using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Palisade.Node.Configuration;
using Palisade.Node.Policy;
using Palisade.Node.Tests.Events;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Policy;

/// <summary>
/// ROBUSTNESS.md I04 and I05 at reload: a valid change applies atomically under load without a dropped request; an
/// invalid, missing or unreadable file keeps the last good configuration serving, is reported by a metric, and the
/// next valid one applies.
/// </summary>
public sealed class ConfigReloadTests
{
    private const string Before = """
        mode: block
        """;

    private const string After = """
        mode: block
        virtual-patches:
          - name: retired-endpoint
            path: /retired
        """;

    [Fact]
    public async Task I04_ValidChangeUnderLoad_AppliesWithoutDroppingARequest()
    {
        await using var node = await NodeUnderTest.StartFromFileAsync(Before);
        using var stop = new CancellationTokenSource();
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var load = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await node.Client.GetAsync(new Uri("/catalog?page=2", UriKind.Relative));
                    statuses.Add(response.StatusCode);
                }
#pragma warning disable CA1031 // Any failure of a clean request during the reload is what the test looks for.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    failures.Add(e);
                }
            }
        })).ToArray();

        await Task.Delay(300);
        await File.WriteAllTextAsync(node.ConfigFile!, After);
        await WaitUntilAsync(async () => await StatusAsync(node, "/retired") == HttpStatusCode.Forbidden);
        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Empty(failures);
        Assert.NotEmpty(statuses);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        var metrics = await MetricsAsync(node);
        Assert.Contains("palisade_config_reloads_total{result=\"success\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("palisade_policy_rules{kind=\"virtual_patches\"} 1", metrics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mode: block\nvirtual-patches:\n  - name: x\n    regex: '(unclosed'\n")]
    [InlineData("mode: blok\n")]
    [InlineData("mode: block\n  bad: [indentation\n")]
    [InlineData("mode: block\nmystery-key: 1\n")]
    public async Task I04_InvalidChange_KeepsTheLastGoodConfigurationAndIsReported(string invalid)
    {
        await using var node = await NodeUnderTest.StartFromFileAsync(After);

        await File.WriteAllTextAsync(node.ConfigFile!, invalid);
        await WaitUntilAsync(async () => (await MetricsAsync(node)).Contains("palisade_config_reloads_total{result=\"failure\"} 1", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(node, "/retired"));
        Assert.Contains("palisade_config_last_reload_successful 0", await MetricsAsync(node), StringComparison.Ordinal);

        await File.WriteAllTextAsync(node.ConfigFile!, Before);
        await WaitUntilAsync(async () => await StatusAsync(node, "/retired") == HttpStatusCode.OK);
        Assert.Contains("palisade_config_last_reload_successful 1", await MetricsAsync(node), StringComparison.Ordinal);
    }

    [Fact]
    public async Task I05_FileDeletedOrUnreadable_KeepsServingWithTheLastGoodRules()
    {
        await using var node = await NodeUnderTest.StartFromFileAsync(After);

        File.Delete(node.ConfigFile!);
        Assert.False(await node.Node.ReloadAsync());
        Directory.CreateDirectory(node.ConfigFile!);
        Assert.False(await node.Node.ReloadAsync());

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(node, "/retired"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(node, "/catalog"));
        Assert.Contains("palisade_config_reloads_total{result=\"failure\"}", await MetricsAsync(node), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_Forced_AppliesTheSameFileAgain()
    {
        await using var node = await NodeUnderTest.StartFromFileAsync(After);

        Assert.True(await node.Node.ReloadAsync());

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(node, "/retired"));
    }

    [Fact]
    public async Task Reload_ModeChange_IsAppliedAndShownInPalisadeInfo()
    {
        await using var node = await NodeUnderTest.StartFromFileAsync("mode: monitoring\n");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(node, "/x?q=%3Cscript%3Ealert(1)%3C/script%3E"));

        await File.WriteAllTextAsync(node.ConfigFile!, "mode: block\n");
        await node.Node.ReloadAsync();

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(node, "/x?q=%3Cscript%3Ealert(1)%3C/script%3E"));
        var metrics = await MetricsAsync(node);
        Assert.Contains("mode=\"block\"} 1", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("mode=\"monitoring\"", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_ApplyThrows_IsCountedAndLoggedAndAPollAfterwardsAppliesIt()
    {
        using var directory = new TempDirectory();
        var sources = Sources(directory);
        await File.WriteAllTextAsync(sources.ConfigFile!, Before, TestContext.Current.CancellationToken);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logger = new RecordingLogger<ConfigReloader>();
        var attempts = 0;
        var failing = 1;
        using var reloader = new ConfigReloader(sources, NodeOptionsLoader.Load(sources), _ =>
        {
            Interlocked.Increment(ref attempts);
            if (Volatile.Read(ref failing) == 1)
            {
                throw new InvalidOperationException("the policy swap failed");
            }
        }, new PolicyMetrics(registry), time, logger, PollInterval);

        await File.WriteAllTextAsync(sources.ConfigFile!, After, TestContext.Current.CancellationToken);
        await PollUntilAsync(time, () => Volatile.Read(ref attempts) >= 1);

        var metrics = await ExportAsync(registry);
        // The watcher and the poll may each have tried it: at least one failure, no success.
        Assert.Contains("palisade_config_reloads_total{result=\"failure\"}", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("palisade_config_reloads_total{result=\"success\"}", metrics, StringComparison.Ordinal);
        Assert.Contains("palisade_config_last_reload_successful 0", metrics, StringComparison.Ordinal);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException);
        Assert.Empty(reloader.Current.VirtualPatches);

        // The file has not changed since: only a change whose failed hash was not remembered is tried again.
        Volatile.Write(ref failing, 0);

        await PollUntilAsync(time, () => reloader.Current.VirtualPatches.Count == 1);
        metrics = await ExportAsync(registry);
        Assert.Contains("palisade_config_reloads_total{result=\"success\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("palisade_config_last_reload_successful 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_ScheduledAfterDispose_IsIgnoredWithoutAnError()
    {
        using var directory = new TempDirectory();
        var sources = Sources(directory);
        await File.WriteAllTextAsync(sources.ConfigFile!, Before, TestContext.Current.CancellationToken);
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logger = new RecordingLogger<ConfigReloader>();
        var reloader = new ConfigReloader(sources, NodeOptionsLoader.Load(sources), _ => { }, new PolicyMetrics(registry), time, logger, PollInterval);
        await File.WriteAllTextAsync(sources.ConfigFile!, After, TestContext.Current.CancellationToken);

        // A watcher event on its way while the node stops.
        reloader.Schedule();
        reloader.Dispose();
        reloader.Schedule();
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
        Assert.DoesNotContain("palisade_config_reloads_total{result=\"failure\"}", await ExportAsync(registry), StringComparison.Ordinal);
    }

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private static NodeConfigurationSources Sources(TempDirectory directory) => new()
    {
        ConfigFile = directory.File("palisade.yaml"),
        Flags = [new ConfigurationValue("upstream", ["http://127.0.0.1:9"], "--upstream")],
    };

    // Moves the reloader's clock through a poll and its debounce until the condition holds (10 s of real time at most).
    private static async Task PollUntilAsync(FakeTimeProvider time, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            time.Advance(PollInterval);
            time.Advance(TimeSpan.FromMilliseconds(250));
            if (condition())
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 10 s");
            await Task.Delay(20);
        }
    }

    private static async Task<string> ExportAsync(Prometheus.CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream, TestContext.Current.CancellationToken);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static async Task<HttpStatusCode> StatusAsync(NodeUnderTest node, string path)
    {
        using var response = await node.Client.GetAsync(new Uri(path, UriKind.Relative));
        return response.StatusCode;
    }

    private static Task<string> MetricsAsync(NodeUnderTest node) => node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));

    // The watcher reacts in a fraction of a second; the poll fallback within five.
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the reload did not take effect within 15 s");
            await Task.Delay(50);
        }
    }
}
