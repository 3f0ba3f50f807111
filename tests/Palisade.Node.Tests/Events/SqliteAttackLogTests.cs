using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Palisade.Detection.Findings;
using Palisade.Detection.Verdicts;
using Palisade.Node.Events;
using Palisade.Node.FrontDoor;
using Palisade.Node.Metrics;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Events;

/// <summary>The SQLite attack log on real database files: what it stores, its queries, retention, and its failures.</summary>
public sealed class SqliteAttackLogTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly NodeMetrics _metrics = new("block");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task GetAsync_StoredAttackWithFindings_ReturnsEveryField()
    {
        using var log = Open();
        var attack = Attack("req-1", Start.AddSeconds(1), findings:
        [
            new Finding(AttackType.Sqli, "query.id", "sqli.lexer", "tautology", "1' OR '1'='1", 90),
            new Finding(AttackType.Xss, "body.json.comment", "xss.tag", "script tag", "<script>", 80),
            new Finding(AttackType.Sqli, "cookie.session", "sqli.lexer", "comment", "[masked: 12 bytes]", 70),
        ]);

        Assert.Equal(1, await log.WriteAsync([attack], TestContext.Current.CancellationToken));
        var listed = Assert.Single(await log.ListAsync(new AttackEventQuery(), TestContext.Current.CancellationToken));
        var stored = await log.GetAsync(listed.Id, TestContext.Current.CancellationToken);

        Assert.NotNull(stored);
        Assert.Equal(attack.Time, stored.Time);
        Assert.Equal(("attack", "req-1", "203.0.113.7", "POST", "shop.example", "/login"), (stored.Type, stored.RequestId, stored.ClientIp, stored.Method, stored.Host, stored.Path));
        Assert.Equal(("block", "block", true), (stored.Mode, stored.Action, stored.BodyTruncated));
        Assert.Equal(["sqli", "xss"], stored.AttackTypes);
        Assert.Equal(
            """[{"type":"sqli","point":"query.id","detector":"sqli.lexer","reason":"tautology","evidence":"1' OR '1'='1","score":90},{"type":"xss","point":"body.json.comment","detector":"xss.tag","reason":"script tag","evidence":"<script>","score":80},{"type":"sqli","point":"cookie.session","detector":"sqli.lexer","reason":"comment","evidence":"[masked: 12 bytes]","score":70}]""",
            stored.FindingsJson);
        Assert.Null(await log.GetAsync(listed.Id + 1, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WriteAsync_ProtocolViolation_StoredWithReasonAndStatus()
    {
        using var log = Open();

        Assert.Equal(1, await log.WriteAsync([new ProtocolViolationEvent(Start, "req-pv", "198.51.100.1", ProtocolViolation.BadRequestLine)], TestContext.Current.CancellationToken));

        var stored = Assert.Single(await log.ListAsync(new AttackEventQuery { Type = "protocol_violation" }, TestContext.Current.CancellationToken));
        Assert.Equal((ProtocolViolation.BadRequestLine.Code(), ProtocolViolation.BadRequestLine.Status(), "reject"), (stored.Reason, stored.Status, stored.Action));
        Assert.Empty(stored.AttackTypes);
    }

    [Fact]
    public async Task ListAsync_Filters_ReturnOnlyMatchingEventsNewestFirst()
    {
        using var log = Open();
        await log.WriteAsync(
        [
            Attack("a", Start.AddMinutes(1), ip: "10.0.0.1", path: "/api/users", action: VerdictAction.Block, type: AttackType.Sqli),
            Attack("b", Start.AddMinutes(2), ip: "10.0.0.2", path: "/api/orders", action: VerdictAction.Monitor, type: AttackType.Xss),
            Attack("c", Start.AddMinutes(3), ip: "10.0.0.1", path: "/static/x", action: VerdictAction.Block, type: AttackType.Xss),
            Attack("d", Start.AddMinutes(4), ip: "10.0.0.1", path: "/api%", action: VerdictAction.Block, type: AttackType.Sqli),
            new ProtocolViolationEvent(Start.AddMinutes(5), "e", "10.0.0.1", ProtocolViolation.BadMethod),
        ], TestContext.Current.CancellationToken);

        Assert.Equal(["e", "d", "c", "b", "a"], await Ids(log, new AttackEventQuery()));
        Assert.Equal(["d", "a"], await Ids(log, new AttackEventQuery { AttackType = "sqli" }));
        Assert.Equal(["c", "b"], await Ids(log, new AttackEventQuery { AttackType = "xss" }));
        Assert.Equal(["e", "d", "c", "a"], await Ids(log, new AttackEventQuery { ClientIp = "10.0.0.1" }));
        Assert.Equal(["b", "a"], await Ids(log, new AttackEventQuery { PathPrefix = "/api/" }));
        Assert.Equal(["d"], await Ids(log, new AttackEventQuery { PathPrefix = "/api%" }));
        Assert.Equal(["b"], await Ids(log, new AttackEventQuery { Action = "monitor" }));
        Assert.Equal(["c", "b"], await Ids(log, new AttackEventQuery { From = Start.AddMinutes(2), To = Start.AddMinutes(4) }));
        Assert.Equal(["d", "c"], await Ids(log, new AttackEventQuery { Type = "attack", Limit = 2 }));
        Assert.Empty(await Ids(log, new AttackEventQuery { AttackType = "sqli' OR '1'='1" }));
    }

    [Fact]
    public async Task ListAsync_BeforeIdCursor_PagesThroughEveryEventOnce()
    {
        using var log = Open();
        await log.WriteAsync(Enumerable.Range(0, 25).Select(i => (INodeEvent)Attack($"r{i}", Start.AddSeconds(i))).ToList(), TestContext.Current.CancellationToken);

        var seen = new List<string>();
        long? cursor = null;
        while (true)
        {
            var page = await log.ListAsync(new AttackEventQuery { Limit = 10, BeforeId = cursor }, TestContext.Current.CancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page.Select(e => e.RequestId));
            cursor = page[^1].Id;
        }

        Assert.Equal(Enumerable.Range(0, 25).Reverse().Select(i => $"r{i}"), seen);
    }

    [Fact]
    public async Task ListAsync_LimitOverMaximum_Throws()
    {
        using var log = Open();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.ListAsync(new AttackEventQuery { Limit = SqliteAttackLog.MaxListLimit + 1 }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Retention_EventsOlderThanMaxAge_DeletedAtTheNextCheck()
    {
        using var log = Open(maxAge: TimeSpan.FromDays(7));
        await log.WriteAsync([Attack("old", Start.AddDays(-8)), Attack("recent", Start.AddDays(-6))], TestContext.Current.CancellationToken);
        Assert.Equal(["recent", "old"], await Ids(log, new AttackEventQuery()));

        _time.Advance(TimeSpan.FromMinutes(2));
        await log.WriteAsync([Attack("new", _time.GetUtcNow())], TestContext.Current.CancellationToken);

        Assert.Equal(["new", "recent"], await Ids(log, new AttackEventQuery()));
    }

    [Fact]
    public async Task Retention_DatabaseOverMaxSize_OldestDeletedUntilUnderIt()
    {
        const long maxSize = 512 * 1024;
        var path = _directory.File("size.db");
        using var log = Open(path, maxSize: maxSize);
        var evidence = new string('x', 900);
        for (var batch = 0; batch < 20; batch++)
        {
            var events = Enumerable.Range(0, 50).Select(i => (INodeEvent)Attack($"r{(batch * 50) + i}", Start, findings: [new Finding(AttackType.Sqli, "query.q", "sqli.lexer", "tautology", evidence, 90)])).ToList();
            Assert.Equal(events.Count, await log.WriteAsync(events, TestContext.Current.CancellationToken));
        }

        Assert.True(DatabaseSize(path) > maxSize, "the test must overflow the limit before retention runs");

        _time.Advance(TimeSpan.FromMinutes(2));
        await log.WriteAsync([Attack("last", Start)], TestContext.Current.CancellationToken);

        Assert.InRange(DatabaseSize(path), 1, maxSize);
        var remaining = await log.ListAsync(new AttackEventQuery { Limit = 1000 }, TestContext.Current.CancellationToken);
        Assert.Equal("last", remaining[0].RequestId);
        Assert.InRange(remaining.Count, 100, 999);
        Assert.Equal(remaining.Select(e => e.Id).Order(), remaining.Select(e => e.Id).Reverse());
        Assert.Null(await log.GetAsync(1, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WriteAsync_DatabaseLockedByAnotherConnection_BatchDroppedAndCountedThenRecovers()
    {
        var path = _directory.File("locked.db");
        using var log = Open(path);
        await using (var events = new NodeEventLog(_metrics, [log]))
        {
            events.Publish(Attack("before", Start));
        }

        var failed = _metrics.EventsDropped("sqlite", EventDropReason.WriteFailed);
        using (var holder = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            holder.Open();
            using var transaction = holder.BeginTransaction(deferred: false);
            await using (var events = new NodeEventLog(_metrics, [log]))
            {
                events.Publish(Attack("while-locked", Start));
            }

            Assert.Equal(1, failed.Value);
            Assert.False(log.IsUp);
        }

        await using (var events = new NodeEventLog(_metrics, [log]))
        {
            events.Publish(Attack("after", Start));
        }

        Assert.True(log.IsUp);
        Assert.Equal(1, failed.Value);
        Assert.Equal(["after", "before"], await Ids(log, new AttackEventQuery()));
    }

    [Fact]
    public async Task WriteAsync_RetentionFailsAfterTheCommit_StoredEventsAreNotCountedAsLost()
    {
        var path = _directory.File("retention.db");
        using var log = Open(path, maxAge: TimeSpan.FromDays(1));
        Assert.Equal(1, await log.WriteAsync([Attack("old", Start.AddDays(-2))], TestContext.Current.CancellationToken));
        using (var other = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            // Deleting old events now fails, as a locked or full database would make it.
            other.Open();
            using var command = other.CreateCommand();
            command.CommandText = "CREATE TRIGGER keep BEFORE DELETE ON attack_events BEGIN SELECT RAISE(ABORT, 'kept'); END";
            command.ExecuteNonQuery();
        }

        _time.Advance(TimeSpan.FromMinutes(2));
        await using (var events = new NodeEventLog(_metrics, [log]))
        {
            events.Publish(Attack("a", Start));
            events.Publish(Attack("b", Start));
        }

        Assert.Equal(0, _metrics.EventsDropped("sqlite", EventDropReason.WriteFailed).Value);
        Assert.Equal(1, _metrics.AttackLogRetentionFailures);
        Assert.True(log.IsUp);
        Assert.Equal(["b", "a", "old"], await Ids(log, new AttackEventQuery()));
    }

    [Fact]
    public async Task WriteAsync_FileDeletedWhileOpen_NextBatchesStoredInANewFile()
    {
        var path = _directory.File("deleted.db");
        using var log = Open(path);
        await log.WriteAsync([Attack("first", Start)], TestContext.Current.CancellationToken);
        File.Delete(path);
        File.Delete(path + "-wal");
        File.Delete(path + "-shm");
        Directory.CreateDirectory(path);

        Assert.Equal(0, await log.WriteAsync([Attack("lost", Start)], TestContext.Current.CancellationToken));
        Assert.False(log.IsUp);

        Directory.Delete(path);
        Assert.Equal(1, await log.WriteAsync([Attack("second", Start)], TestContext.Current.CancellationToken));
        Assert.True(log.IsUp);
        Assert.Equal(["second"], await Ids(log, new AttackEventQuery()));
    }

    [Fact]
    public void Open_DirectoryInPlaceOfTheFile_DownWithoutThrowing()
    {
        var path = _directory.File("a-directory.db");
        Directory.CreateDirectory(path);

        using var log = Open(path);

        Assert.False(log.IsUp);
    }

    [Fact]
    public void Open_DatabaseOfANewerSchema_DownWithoutThrowing()
    {
        var path = _directory.File("newer.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {SqliteAttackLog.SchemaVersion + 1}";
            command.ExecuteNonQuery();
        }

        using var log = Open(path);

        Assert.False(log.IsUp);
    }

    [Fact]
    public void Open_NewDatabase_WalModeIncrementalVacuumAndSchemaVersion()
    {
        var path = _directory.File("new.db");
        using var log = Open(path);

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Assert.Equal("wal", Pragma(connection, "journal_mode"));
        Assert.Equal("2", Pragma(connection, "auto_vacuum"));
        Assert.Equal(SqliteAttackLog.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), Pragma(connection, "user_version"));
        Assert.True(log.IsUp);
    }

    internal static AttackEvent Attack(
        string requestId,
        DateTimeOffset time,
        string ip = "203.0.113.7",
        string path = "/login",
        VerdictAction action = VerdictAction.Block,
        AttackType type = AttackType.Sqli,
        IReadOnlyList<Finding>? findings = null) =>
        new(time, requestId, ip, "POST", "shop.example", path, EnforcementMode.Block, action, true,
            findings ?? [new Finding(type, "query.q", "detector", "reason", "evidence", 90)]);

    private static async Task<string[]> Ids(SqliteAttackLog log, AttackEventQuery query) =>
        (await log.ListAsync(query, TestContext.Current.CancellationToken)).Select(e => e.RequestId).ToArray();

    private static long DatabaseSize(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        connection.Open();
        return long.Parse(Pragma(connection, "page_count"), System.Globalization.CultureInfo.InvariantCulture)
            * long.Parse(Pragma(connection, "page_size"), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Pragma(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA " + name;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    private SqliteAttackLog Open(string? path = null, TimeSpan? maxAge = null, long maxSize = 256L << 20) =>
        SqliteAttackLog.Open(path ?? _directory.File("attacks.db"), maxAge ?? TimeSpan.FromDays(7), maxSize, _time, _metrics, NullLogger.Instance);
}
