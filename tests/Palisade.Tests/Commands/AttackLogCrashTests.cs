using System.Globalization;
using Microsoft.Data.Sqlite;
using Palisade.Tests.Infrastructure;
using Palisade.TestUpstream;

namespace Palisade.Tests.Commands;

/// <summary>The SQLite attack log survives the node being killed while it writes.</summary>
public sealed class AttackLogCrashTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "palisade-k05-" + Guid.NewGuid().ToString("N"));

    public AttackLogCrashTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task K05_NodeKilledWhileWritingEventsUnderLoad_RestartedNodeOpensAnIntactDatabaseWithEarlierRows()
    {
        var database = Path.Combine(_directory, "attacks.db");
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        long committedBeforeKill;
        await using (var node = StartNode(database, out var listen, out var admin))
        {
            await WaitReadyAsync(client, admin);
            using var stop = new CancellationTokenSource();
            var load = Enumerable.Range(0, 4).Select(worker => SendAttacksAsync(client, listen, worker, stop.Token)).ToArray();
            await Wait.UntilAsync(() => Task.FromResult(CountRows(database) >= 200), TimeSpan.FromSeconds(30), "attacks are stored under load");

            committedBeforeKill = CountRows(database);
            await node.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(load);
        }

        await using (var restarted = StartNode(database, out var listen, out var admin))
        {
            await WaitReadyAsync(client, admin);
            using var attack = await client.GetAsync(new Uri($"http://127.0.0.1:{listen}/after-restart?id=1%20UNION%20SELECT%20password%20FROM%20users--"));
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, attack.StatusCode);
            await Wait.UntilAsync(() => Task.FromResult(Scalar(database, "SELECT count(*) FROM attack_events WHERE path = '/after-restart'") == "1"), TimeSpan.FromSeconds(15), "the restarted node stores attacks");

            Assert.Equal("ok", Scalar(database, "PRAGMA integrity_check"));
            Assert.True(CountRows(database) > committedBeforeKill, $"rows committed before the kill ({committedBeforeKill}) are kept");
            Assert.Equal("1", Scalar(database, "SELECT count(*) FROM attack_events WHERE path = '/load/0/0'"));
        }
    }

    private static PalisadeProcess StartNode(string database, out int listen, out int admin)
    {
        (listen, admin) = (TestUpstreamProcess.FreePort(), TestUpstreamProcess.FreePort());
        return PalisadeProcess.Start(
        [
            "node", "--demo", "--listen", $"127.0.0.1:{listen}", "--admin-listen", $"127.0.0.1:{admin}", "--attack-log", database, "--log-level", "warning",
        ]);
    }

    private static Task WaitReadyAsync(HttpClient client, int admin) =>
        Wait.UntilAsync(async () => (await client.GetAsync(new Uri($"http://127.0.0.1:{admin}/readyz"))).IsSuccessStatusCode, TimeSpan.FromSeconds(15), "the node is ready");

    // Bounded: at most 5,000 requests per worker, and it stops when told. A failed request (a slow answer on a
    // loaded machine, a reset) does not end the load before the test has its rows; after the kill, stop is set.
    private static async Task SendAttacksAsync(HttpClient client, int listen, int worker, CancellationToken stop)
    {
        for (var i = 0; i < 5_000 && !stop.IsCancellationRequested; i++)
        {
            try
            {
                using var response = await client.GetAsync(new Uri($"http://127.0.0.1:{listen}/load/{worker}/{i}?q=1'%20OR%20'1'='1"), stop);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                await Task.Delay(50, CancellationToken.None);
            }
        }
    }

    private static long CountRows(string database) =>
        File.Exists(database) && Scalar(database, "SELECT count(*) FROM sqlite_master WHERE name = 'attack_events'") == "1"
            ? long.Parse(Scalar(database, "SELECT count(*) FROM attack_events"), CultureInfo.InvariantCulture)
            : 0;

    private static string Scalar(string database, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture)!;
    }
}
