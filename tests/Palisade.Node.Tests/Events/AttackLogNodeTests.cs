using System.Net;
using System.Text;
using Palisade.Node.Events;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Events;

/// <summary>The attack log in a real node: what reaches the database file, and a node whose attack log cannot open.</summary>
public sealed class AttackLogNodeTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Node_AttackWithPlantedSecrets_DatabaseFilesNeverHoldTheSecrets()
    {
        var path = _directory.File("attacks.db");
        string requestId;
        await using (var node = await NodeUnderTest.StartAsync(o => o with { AttackLog = path }))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/login?id=1'%20OR%20'1'='1")
            {
                Content = new StringContent("""{"username":"alice","password":"hunter2pw' OR 1=1--"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer s3cr3t-bearer-token");
            request.Headers.Add("Cookie", "session=s3cr3t-session-cookie' OR '1'='1");
            using var response = await node.Client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            requestId = Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id"));

            var stored = await WaitForRowAsync(node.Node.AttackLog!, requestId);
            Assert.Contains("sqli", stored.AttackTypes);
            Assert.Contains("[masked", stored.FindingsJson, StringComparison.Ordinal);
            Assert.Contains("password", stored.FindingsJson, StringComparison.Ordinal);
            AssertNoSecret(path);
        }

        // After the node stops, the WAL is checkpointed into the main file.
        AssertNoSecret(path);
    }

    [Fact]
    public async Task Node_AttackLogPathIsADirectory_StartsServesToStdoutAndReportsDown()
    {
        var path = _directory.File("not-a-file.db");
        Directory.CreateDirectory(path);

        await using var node = await NodeUnderTest.StartAsync(o => o with { AttackLog = path });
        using var response = await node.Client.GetAsync(new Uri("/?q=1'%20OR%20'1'='1", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        await node.Events.WaitForAsync(Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id")));
        Assert.NotNull(node.Node.AttackLog);
        Assert.False(node.Node.AttackLog.IsUp);
        var failed = node.Node.Metrics.EventsDropped("sqlite", EventDropReason.WriteFailed);
        await WaitUntilAsync(() => failed.Value >= 1);
        var metrics = await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains("palisade_attack_log_up 0", metrics, StringComparison.Ordinal);
        Assert.Contains("palisade_events_dropped_total{sink=\"sqlite\",reason=\"write_failed\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("palisade_events_dropped_total{sink=\"stdout\",reason=\"queue_full\"} 0", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_AttackLogOff_NoAttackLog()
    {
        await using var node = await NodeUnderTest.StartAsync();

        Assert.Null(node.Node.AttackLog);
    }

    internal static async Task<StoredAttackEvent> WaitForRowAsync(SqliteAttackLog log, string requestId)
    {
        StoredAttackEvent? found = null;
        await WaitUntilAsync(async () =>
        {
            found = (await log.ListAsync(new AttackEventQuery { Limit = 1000 })).FirstOrDefault(e => e.RequestId == requestId);
            return found is not null;
        });
        return found!;
    }

    internal static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 15 s");
            await Task.Delay(50);
        }
    }

    private static void AssertNoSecret(string path)
    {
        var files = new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists).ToList();
        Assert.Contains(path, files);
        foreach (var file in files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var text = Encoding.Latin1.GetString(copy.ToArray());
            Assert.DoesNotContain("s3cr3t", text, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2pw", text, StringComparison.Ordinal);
            Assert.DoesNotContain("bearer-token", text, StringComparison.Ordinal);
        }
    }
}
