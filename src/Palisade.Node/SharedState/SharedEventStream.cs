using StackExchange.Redis;

namespace Palisade.Node.SharedState;

/// <summary>
/// The attack-event feed shared by the replicas: events (JSON, already masked) are appended to the stream
/// <c>{prefix}events</c>, trimmed to about <see cref="RedisOptions.EventStreamMaxLength"/> entries, so one
/// console sees every replica's events. Appends never wait: at most <see cref="RedisOptions.EventMaxInFlight"/>
/// are on their way at once, beyond (or while Redis is unavailable) events are dropped and counted.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "It writes a Redis stream (XADD), not a System.IO.Stream.")]
public sealed class SharedEventStream
{
    public const int MaxReadCount = 1_000;
    private static readonly RedisValue OriginField = "node";
    private static readonly RedisValue EventField = "event";

    private readonly SharedStateConnection _connection;
    private readonly RedisKey _stream;
    private readonly RedisValue _origin;
    private readonly Action<Task> _completed;
    private int _inFlight;

    public SharedEventStream(SharedStateConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _stream = connection.Key("events");
        _origin = connection.Options.ReplicaId;
        _completed = Completed;
    }

    /// <summary>Appends currently on their way to Redis.</summary>
    internal int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>
    /// Starts appending an event (the bytes are copied) and returns at once; false when it was dropped (Redis
    /// unavailable or too many appends in flight).
    /// </summary>
    public bool TryAppend(ReadOnlySpan<byte> utf8Json)
    {
        if (!_connection.IsConnected)
        {
            _connection.Metrics.CountEventDropped();
            return false;
        }

        if (Interlocked.Increment(ref _inFlight) > _connection.Options.EventMaxInFlight)
        {
            Interlocked.Decrement(ref _inFlight);
            _connection.Metrics.CountEventDropped();
            return false;
        }

        Task append;
        try
        {
            append = _connection.Database.StreamAddAsync(
                _stream,
                [new NameValueEntry(OriginField, _origin), new NameValueEntry(EventField, utf8Json.ToArray())],
                messageId: null,
                maxLength: _connection.Options.EventStreamMaxLength,
                useApproximateMaxLength: true);
        }
        catch (RedisException e)
        {
            Interlocked.Decrement(ref _inFlight);
            _connection.Failed(SharedStateOperation.EventsAppend, e);
            _connection.Metrics.CountEventDropped();
            return false;
        }

        append.ContinueWith(_completed, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return true;
    }

    /// <summary>
    /// Up to <paramref name="count"/> events, newest first, older than <paramref name="beforeId"/> when given (the
    /// id of the last event of the previous page); null when Redis is unavailable.
    /// </summary>
    public async Task<IReadOnlyList<SharedEvent>?> ReadRecentAsync(int count, string? beforeId = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxReadCount);
        if (beforeId is not null && !IsStreamId(beforeId))
        {
            throw new ArgumentException("not a stream id (milliseconds-sequence)", nameof(beforeId));
        }

        if (!_connection.IsConnected)
        {
            return null;
        }

        StreamEntry[] entries;
        try
        {
            entries = await _connection.BoundedAsync(
                _connection.Database.StreamRangeAsync(_stream, "-", beforeId is null ? "+" : "(" + beforeId, count, Order.Descending)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _connection.Failed(SharedStateOperation.EventsRead, e);
            return null;
        }

        var events = new List<SharedEvent>(entries.Length);
        foreach (var entry in entries)
        {
            var json = entry[EventField];
            if (json.IsNull)
            {
                continue;
            }

            events.Add(new SharedEvent(entry.Id.ToString(), entry[OriginField].ToString(), (byte[])json!));
        }

        return events;
    }

    private void Completed(Task append)
    {
        Interlocked.Decrement(ref _inFlight);
        if (append.Exception is { } failure)
        {
            _connection.Failed(SharedStateOperation.EventsAppend, failure.InnerException ?? failure);
            _connection.Metrics.CountEventDropped();
        }
    }

    private static bool IsStreamId(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        var milliseconds = dash < 0 ? id.AsSpan() : id.AsSpan(0, dash);
        return ulong.TryParse(milliseconds, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)
            && (dash < 0 || ulong.TryParse(id.AsSpan(dash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _));
    }
}
