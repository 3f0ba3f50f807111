using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Palisade.Detection.Findings;
using Palisade.Detection.Verdicts;
using Palisade.Node.FrontDoor;
using Palisade.Node.Metrics;

namespace Palisade.Node.Events;

/// <summary>
/// The attack log: events stored in a SQLite file (WAL mode), queryable by an admin API. As a sink it writes each
/// batch in one transaction; any failure (locked, disk full, read-only, file deleted) drops the batch, is logged once
/// per streak of failures, and the next batch reopens the database and tries again. Retention keeps events younger
/// than the maximum age and the database under the maximum size (oldest events deleted first), checked every
/// <see cref="RetentionEveryBatches"/> batches or every minute. Stores what the events carry: no header or body
/// value, and finding evidence already masked for secret points.
/// </summary>
public sealed partial class SqliteAttackLog : INodeEventSink, IDisposable
{
    /// <summary>The schema this node writes, kept in <c>PRAGMA user_version</c>.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Most events one <see cref="ListAsync"/> returns.</summary>
    public const int MaxListLimit = 1000;

    private const int RetentionEveryBatches = 64;
    private static readonly TimeSpan RetentionEvery = TimeSpan.FromMinutes(1);

    private const string Columns = "id, time, type, request_id, client_ip, method, host, path, mode, action, body_truncated, attack_types, findings, reason, status, route";

    private const string InsertSql =
        "INSERT INTO attack_events (time, type, request_id, client_ip, method, host, path, mode, action, body_truncated, attack_types, findings, reason, status, route) " +
        "VALUES ($time, $type, $request_id, $client_ip, $method, $host, $path, $mode, $action, $body_truncated, $attack_types, $findings, $reason, $status, $route)";

    private const string ListSql =
        "SELECT " + Columns + " FROM attack_events WHERE " +
        "($before IS NULL OR id < $before) AND ($from IS NULL OR time >= $from) AND ($to IS NULL OR time < $to) " +
        "AND ($attack_type IS NULL OR instr(',' || attack_types || ',', ',' || $attack_type || ',') > 0) " +
        "AND ($client_ip IS NULL OR client_ip = $client_ip) " +
        "AND ($path_prefix IS NULL OR substr(path, 1, length($path_prefix)) = $path_prefix) " +
        "AND ($action IS NULL OR action = $action) AND ($type IS NULL OR type = $type) " +
        "ORDER BY id DESC LIMIT $limit";

    private static readonly string[] SchemaV1 =
    [
        """
        CREATE TABLE attack_events (
            id INTEGER PRIMARY KEY,
            time INTEGER NOT NULL,
            type TEXT NOT NULL,
            request_id TEXT NOT NULL,
            client_ip TEXT NOT NULL,
            method TEXT,
            host TEXT,
            path TEXT,
            mode TEXT,
            action TEXT NOT NULL,
            body_truncated INTEGER NOT NULL DEFAULT 0,
            attack_types TEXT NOT NULL DEFAULT '',
            findings TEXT NOT NULL DEFAULT '[]',
            reason TEXT,
            status INTEGER,
            route TEXT
        )
        """,
        "CREATE INDEX attack_events_time ON attack_events (time)",
        "CREATE INDEX attack_events_client_ip ON attack_events (client_ip)",
    ];

    private readonly string _writeConnection;
    private readonly string _readConnection;
    private readonly TimeSpan _maxAge;
    private readonly long _maxSize;
    private readonly TimeProvider _time;
    private readonly NodeMetrics? _metrics;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private SqliteConnection? _connection;
    private int _batchesSinceRetention;
    private long _lastRetention;
    private long _failedBatches;
    private bool _failing;
    private bool _retentionFailing;
    private bool _disposed;
    private volatile bool _up;

    // The native SQLite library (libe_sqlite3.so, beside the executable) is loaded once. If it is missing the attack
    // log is down, like an unopenable file, instead of failing the node's start.
    private static readonly Lazy<Exception?> NativeLibraryFailure = new(LoadNativeLibrary);

    private SqliteAttackLog(string path, TimeSpan maxAge, long maxSize, TimeProvider time, NodeMetrics? metrics, ILogger logger)
    {
        FilePath = path;
        _maxAge = maxAge;
        _maxSize = maxSize;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _lastRetention = time.GetTimestamp();
        _writeConnection = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            // Microsoft.Data.Sqlite retries a busy database for this long (seconds) on top of busy_timeout: keep a
            // locked database's cost to a second per batch, on the sink's task only.
            DefaultTimeout = 1,
        }.ToString();
        _readConnection = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = 5,
        }.ToString();
    }

    public string Name => "sqlite";

    /// <summary>The database file.</summary>
    public string FilePath { get; }

    /// <summary>True while the database is open and the last write succeeded (<c>palisade_attack_log_up</c>).</summary>
    public bool IsUp => _up;

    /// <summary>
    /// Opens (creating or migrating) the database. Never throws for a database that cannot be opened: the log is
    /// then down (logged, <c>palisade_attack_log_up</c> 0) and tries again with each batch.
    /// </summary>
    public static SqliteAttackLog Open(string path, TimeSpan maxAge, long maxSize, TimeProvider time, NodeMetrics? metrics, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var log = new SqliteAttackLog(path, maxAge, maxSize, time, metrics, logger);
        lock (log._gate)
        {
            log.Run(connection => log.EnforceRetention(connection));
        }

        return log;
    }

    /// <summary>
    /// Stores the batch in one transaction; returns the batch's size once it is committed, 0 when it failed. A
    /// retention pass that fails after the commit is logged and counted on its own: the stored events are not lost.
    /// </summary>
    public ValueTask<int> WriteAsync(IReadOnlyList<INodeEvent> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        lock (_gate)
        {
            if (_disposed || !Run(connection => Insert(connection, batch)))
            {
                return ValueTask.FromResult(0);
            }

            if (++_batchesSinceRetention >= RetentionEveryBatches || _time.GetElapsedTime(_lastRetention) >= RetentionEvery)
            {
                RunRetention();
            }

            return ValueTask.FromResult(batch.Count);
        }
    }

    /// <summary>Stored events, newest first, that match every filter of <paramref name="query"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The limit is not between 1 and <see cref="MaxListLimit"/>.</exception>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    public async Task<IReadOnlyList<StoredAttackEvent>> ListAsync(AttackEventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MaxListLimit, nameof(query));
        await using var connection = new SqliteConnection(_readConnection);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = ListSql;
        command.Parameters.AddWithValue("$before", (object?)query.BeforeId ?? DBNull.Value);
        command.Parameters.AddWithValue("$from", (object?)query.From?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$to", (object?)query.To?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$attack_type", (object?)query.AttackType ?? DBNull.Value);
        command.Parameters.AddWithValue("$client_ip", (object?)query.ClientIp ?? DBNull.Value);
        command.Parameters.AddWithValue("$path_prefix", (object?)query.PathPrefix ?? DBNull.Value);
        command.Parameters.AddWithValue("$action", (object?)query.Action ?? DBNull.Value);
        command.Parameters.AddWithValue("$type", (object?)query.Type ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", query.Limit);
        var events = new List<StoredAttackEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(ReadRow(reader));
        }

        return events;
    }

    /// <summary>One stored event by id, with its findings; null when there is none (or retention deleted it).</summary>
    /// <exception cref="SqliteException">The database cannot be read.</exception>
    public async Task<StoredAttackEvent?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var connection = new SqliteConnection(_readConnection);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT " + Columns + " FROM attack_events WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRow(reader) : null;
    }

    /// <summary>Closes the database; later batches are dropped.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            CloseConnection();
            SetUp(false);
        }
    }

    // Runs one unit of work on the open (or reopened) database. A failure closes the connection so that the next
    // batch starts from a fresh open: a deleted file is created again, a full disk is retried.
    private bool Run(Action<SqliteConnection> work)
    {
        try
        {
            if (_connection is not null && !File.Exists(FilePath))
            {
                // Deleted (or replaced) under the open connection: writes would go to an unlinked file and be lost.
                CloseConnection();
            }

            if (NativeLibraryFailure.Value is { } failure)
            {
                throw new InvalidOperationException("the native SQLite library (libe_sqlite3) cannot be loaded", failure);
            }

            _connection ??= OpenConnection();
            work(_connection);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            CloseConnection();
            _failedBatches++;
            if (!_failing)
            {
                _failing = true;
                Log.Down(_logger, FilePath, e);
            }

            SetUp(false);
            return false;
        }

        if (_failing)
        {
            _failing = false;
            Log.Recovered(_logger, FilePath, _failedBatches);
            _failedBatches = 0;
        }

        SetUp(true);
        return true;
    }

    // Retention on the open connection after a committed batch. A failure (locked, disk full) is logged once per
    // streak and counted; the connection is closed so that the next batch reopens it, and the next pass tries again.
    private void RunRetention()
    {
        try
        {
            EnforceRetention(_connection!);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            _batchesSinceRetention = 0;
            _lastRetention = _time.GetTimestamp();
            CloseConnection();
            _metrics?.CountAttackLogRetentionFailure();
            if (!_retentionFailing)
            {
                _retentionFailing = true;
                Log.RetentionFailed(_logger, FilePath, e);
            }

            return;
        }

        _retentionFailing = false;
    }

    private static Exception? LoadNativeLibrary()
    {
        try
        {
            SQLitePCL.Batteries_V2.Init();
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or TypeInitializationException)
        {
            return e;
        }
    }

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_writeConnection);
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout = 250");
            var version = Scalar(connection, "PRAGMA user_version");
            if (version > SchemaVersion)
            {
                throw new InvalidOperationException($"the database has schema version {version}, newer than this node's {SchemaVersion}");
            }

            if (version == 0)
            {
                // Only takes effect before the first table is created: deleted rows' pages can then be given back.
                Execute(connection, "PRAGMA auto_vacuum = INCREMENTAL");
            }

            Execute(connection, "PRAGMA journal_mode = WAL");
            Execute(connection, "PRAGMA synchronous = NORMAL");
            Execute(connection, "PRAGMA journal_size_limit = 4194304");
            if (version < SchemaVersion)
            {
                Migrate(connection, version);
            }

            if (!_failing)
            {
                Log.Opened(_logger, FilePath, SchemaVersion);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Migrate(SqliteConnection connection, long from)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        if (from < 1)
        {
            foreach (var statement in SchemaV1)
            {
                Execute(connection, statement, transaction);
            }
        }

        Execute(connection, $"PRAGMA user_version = {SchemaVersion.ToString(CultureInfo.InvariantCulture)}", transaction);
        transaction.Commit();
    }

    private static void Insert(SqliteConnection connection, IReadOnlyList<INodeEvent> batch)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = InsertSql;
        var time = command.Parameters.Add("$time", SqliteType.Integer);
        var type = command.Parameters.Add("$type", SqliteType.Text);
        var requestId = command.Parameters.Add("$request_id", SqliteType.Text);
        var clientIp = command.Parameters.Add("$client_ip", SqliteType.Text);
        var method = command.Parameters.Add("$method", SqliteType.Text);
        var host = command.Parameters.Add("$host", SqliteType.Text);
        var path = command.Parameters.Add("$path", SqliteType.Text);
        var mode = command.Parameters.Add("$mode", SqliteType.Text);
        var action = command.Parameters.Add("$action", SqliteType.Text);
        var bodyTruncated = command.Parameters.Add("$body_truncated", SqliteType.Integer);
        var attackTypes = command.Parameters.Add("$attack_types", SqliteType.Text);
        var findings = command.Parameters.Add("$findings", SqliteType.Text);
        var reason = command.Parameters.Add("$reason", SqliteType.Text);
        var status = command.Parameters.Add("$status", SqliteType.Integer);
        var route = command.Parameters.Add("$route", SqliteType.Text);
        foreach (var nodeEvent in batch)
        {
            switch (nodeEvent)
            {
                case AttackEvent attack:
                    time.Value = attack.Time.ToUnixTimeMilliseconds();
                    type.Value = "attack";
                    requestId.Value = attack.RequestId;
                    clientIp.Value = attack.ClientIp;
                    method.Value = attack.Method;
                    host.Value = attack.Host;
                    path.Value = attack.Path;
                    mode.Value = attack.Mode.ToName();
                    action.Value = attack.Action.ToName();
                    bodyTruncated.Value = attack.BodyTruncated ? 1 : 0;
                    attackTypes.Value = string.Join(',', attack.Findings.Select(f => f.AttackType).Distinct().Select(t => t.ToName()));
                    findings.Value = FindingsJson(attack.Findings);
                    reason.Value = DBNull.Value;
                    status.Value = DBNull.Value;
                    route.Value = attack.Route;
                    break;
                case AccessDeniedEvent denied:
                    time.Value = denied.Time.ToUnixTimeMilliseconds();
                    type.Value = "ip_denied";
                    requestId.Value = denied.RequestId;
                    clientIp.Value = denied.ClientIp;
                    method.Value = denied.Method;
                    host.Value = denied.Host;
                    path.Value = denied.Path;
                    mode.Value = DBNull.Value;
                    action.Value = "block";
                    bodyTruncated.Value = 0;
                    attackTypes.Value = "";
                    findings.Value = "[]";
                    reason.Value = denied.Reason is null ? denied.Network : $"{denied.Network}: {denied.Reason}";
                    status.Value = 403;
                    route.Value = denied.Route;
                    break;
                case ProtocolViolationEvent violation:
                    time.Value = violation.Time.ToUnixTimeMilliseconds();
                    type.Value = "protocol_violation";
                    requestId.Value = violation.RequestId;
                    clientIp.Value = violation.ClientIp;
                    method.Value = DBNull.Value;
                    host.Value = DBNull.Value;
                    path.Value = DBNull.Value;
                    mode.Value = DBNull.Value;
                    action.Value = "reject";
                    bodyTruncated.Value = 0;
                    attackTypes.Value = "";
                    findings.Value = "[]";
                    reason.Value = violation.Violation.Code();
                    status.Value = violation.Violation.Status();
                    route.Value = DBNull.Value;
                    break;
                default:
                    continue;
            }

            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    // Deletes events older than the maximum age, then the oldest ones while the database is over the maximum size
    // (down to 90% of it, so that a full log is not trimmed at every pass), and gives freed pages back to the file system.
    private void EnforceRetention(SqliteConnection connection)
    {
        _batchesSinceRetention = 0;
        _lastRetention = _time.GetTimestamp();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM attack_events WHERE time < $cutoff";
        command.Parameters.AddWithValue("$cutoff", (_time.GetUtcNow() - _maxAge).ToUnixTimeMilliseconds());
        long deleted = command.ExecuteNonQuery();
        Execute(connection, "PRAGMA incremental_vacuum");
        var size = Size(connection);
        for (var pass = 0; pass < 16 && size > _maxSize; pass++)
        {
            var rows = Scalar(connection, "SELECT count(*) FROM attack_events");
            if (rows == 0)
            {
                break;
            }

            var excess = (size - (_maxSize * 0.9)) / size;
            using var trim = connection.CreateCommand();
            trim.CommandText = "DELETE FROM attack_events WHERE id IN (SELECT id FROM attack_events ORDER BY id LIMIT $count)";
            trim.Parameters.AddWithValue("$count", Math.Max(1, (long)Math.Ceiling(rows * excess)));
            deleted += trim.ExecuteNonQuery();
            Execute(connection, "PRAGMA incremental_vacuum");
            size = Size(connection);
        }

        _metrics?.SetAttackLogSize(size);
        if (deleted > 0)
        {
            Log.Retention(_logger, deleted, size);
        }
    }

    private static long Size(SqliteConnection connection) =>
        Scalar(connection, "PRAGMA page_count") * Scalar(connection, "PRAGMA page_size");

    private static string FindingsJson(IReadOnlyList<Finding> findings)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            // The shared writer names its array ("findings"): wrap it in an object and store the array alone.
            json.WriteStartObject();
            json.WriteFindings(findings);
            json.WriteEndObject();
        }

        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        return text[(text.IndexOf('[', StringComparison.Ordinal))..text.LastIndexOf('}')];
    }

    private static StoredAttackEvent ReadRow(SqliteDataReader reader)
    {
        var attackTypes = reader.GetString(11);
        return new StoredAttackEvent(
            reader.GetInt64(0),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.IsDBNull(8) ? null : reader.GetString(8),
            reader.GetString(9),
            reader.GetInt64(10) != 0,
            attackTypes.Length == 0 ? [] : attackTypes.Split(','),
            reader.GetString(12),
            reader.IsDBNull(13) ? null : reader.GetString(13),
            reader.IsDBNull(14) ? null : reader.GetInt32(14))
        {
            Route = reader.IsDBNull(15) ? null : reader.GetString(15),
        };
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private void CloseConnection()
    {
        _connection?.Dispose();
        _connection = null;
    }

    private void SetUp(bool up)
    {
        _up = up;
        _metrics?.SetAttackLogUp(up);
    }
}
