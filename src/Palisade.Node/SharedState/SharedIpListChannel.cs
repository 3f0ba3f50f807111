using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json;
using Palisade.Node.Access;
using StackExchange.Redis;

namespace Palisade.Node.SharedState;

/// <summary>
/// IP list entries added or removed at run time, shared by the replicas. Entries live in the hash
/// <c>{prefix}ip</c> (field <c>{list}|{cidr}</c>, value a small JSON document) and every change is published
/// on <c>{prefix}ip:changes</c>; the other replicas apply it through the callbacks within moments. Each time
/// the connection comes back the whole hash is loaded again and compared with what this replica knows, so a
/// replica that missed messages while Redis was away converges (entries removed meanwhile are reported
/// removed). Expired entries are never reported and are deleted from the hash when seen. A channel does not
/// report its own changes back to itself.
/// <para>
/// What comes from Redis is checked field by field (list, network, reason length, expiry range, operation)
/// before it is used: a stored entry that fails is skipped (the others still load), a message that fails is
/// ignored; both are counted in <c>palisade_shared_ip_entries_rejected_total</c> and logged.
/// </para>
/// </summary>
public sealed partial class SharedIpListChannel : IAsyncDisposable
{
    private const int MaxListLength = 64;
    private const int MaxReasonLength = 512;

    // The same bound RedisOptions puts on a replica id.
    private const int MaxOriginLength = 253;

    // What this replica remembers of the hash; past it new entries are still reported, not remembered.
    private const int MaxKnown = 250_000;
    private const int MinSweepAt = 1024;
    private const int MaxRejectedFieldsLogged = 1024;
    private const int MaxLoggedFieldLength = 200;
    private static readonly long MinUnixMilliseconds = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxUnixMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();
    private static readonly TimeSpan RejectedMessageLogInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ReloadRetryDelay = TimeSpan.FromSeconds(30);

    private readonly SharedStateConnection _connection;
    private readonly Action<SharedIpEntry> _upserted;
    private readonly Action<string, string> _removed;
    private readonly RedisKey _hash;
    private readonly RedisChannel _channel;
    private readonly string _sender = Guid.NewGuid().ToString("N");
    private readonly Lock _gate = new();

    // What this replica knows is in Redis, by field; a null entry is a removal, kept only while a load is under
    // way (it stops the load from bringing the entry back). Seq orders messages against loads.
    private readonly Dictionary<string, (SharedIpEntry? Entry, long Seq)> _known = new(StringComparer.Ordinal);
    private readonly HashSet<string> _rejectedFieldsLogged = new(StringComparer.Ordinal);
    private long _seq;
    private bool _loading;
    private int _sweepAt = MinSweepAt;
    private long _rejectedMessagesNotLogged;
    private DateTimeOffset _rejectedMessageLoggedAt = DateTimeOffset.MinValue;
    private ITimer? _retry;
    private ChannelMessageQueue? _queue;
    private int _reloadRequests;
    private int _disposed;

    /// <param name="connection">The shared connection.</param>
    /// <param name="upserted">An entry was added or changed by another replica (or found at load).</param>
    /// <param name="removed">An entry (list, cidr) was removed by another replica (or found gone at load).</param>
    public SharedIpListChannel(SharedStateConnection connection, Action<SharedIpEntry> upserted, Action<string, string> removed)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(upserted);
        ArgumentNullException.ThrowIfNull(removed);
        _connection = connection;
        _upserted = upserted;
        _removed = removed;
        _hash = connection.Key("ip");
        _channel = RedisChannel.Literal(connection.Key("ip:changes"));
    }

    /// <summary>Raised after each load of the hash has been applied (at start and after each reconnection).</summary>
    public event Action? Reloaded;

    /// <summary>
    /// Subscribes to changes and loads the current entries, now if Redis answers, else as soon as it does; the
    /// entries are loaded again each time the connection comes back.
    /// </summary>
    public async Task StartAsync()
    {
        _connection.StateChanged += OnStateChanged;
        if (_connection.IsConnected)
        {
            await ReloadAsync().ConfigureAwait(false);
        }
    }

    private async Task SubscribeAsync()
    {
        try
        {
            // Once made, the subscription is made again by the connection itself after each reconnection.
            var queue = await _connection.BoundedAsync(_connection.Subscriber.SubscribeAsync(_channel)).ConfigureAwait(false);
            queue.OnMessage(OnMessage);
            _queue = queue;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _connection.Failed(SharedStateOperation.IpSubscribe, e);
        }
    }

    /// <summary>
    /// Stores an entry of this replica and tells the others. False when Redis is unavailable: the entry then
    /// holds on this replica only.
    /// </summary>
    public async Task<bool> AddAsync(string list, string cidr, string? reason, DateTimeOffset? expires)
    {
        var entry = new SharedIpEntry(list, cidr, reason, expires, _connection.Options.ReplicaId);
        var field = Field(entry.List, entry.Cidr);
        if (reason is { Length: > MaxReasonLength })
        {
            throw new ArgumentException("an IP list reason has at most " + MaxReasonLength + " characters", nameof(reason));
        }

        if (!_connection.IsConnected)
        {
            return false;
        }

        var document = ToDocument(entry);
        var value = JsonSerializer.SerializeToUtf8Bytes(document, SharedStateJsonContext.Default.SharedIpDocument);
        document.Op = "set";
        document.Sender = _sender;
        var message = JsonSerializer.SerializeToUtf8Bytes(document, SharedStateJsonContext.Default.SharedIpDocument);
        if (!await WriteAsync(field, value, message).ConfigureAwait(false))
        {
            return false;
        }

        lock (_gate)
        {
            Remember(field, entry, ++_seq);
        }

        return true;
    }

    /// <summary>Removes an entry for every replica. False when Redis is unavailable.</summary>
    public async Task<bool> RemoveAsync(string list, string cidr)
    {
        var field = Field(list, cidr);
        if (!_connection.IsConnected)
        {
            return false;
        }

        var document = new SharedIpDocument { Op = "del", List = list, Cidr = cidr, AddedBy = _connection.Options.ReplicaId, Sender = _sender };
        var message = JsonSerializer.SerializeToUtf8Bytes(document, SharedStateJsonContext.Default.SharedIpDocument);
        if (!await WriteAsync(field, null, message).ConfigureAwait(false))
        {
            return false;
        }

        lock (_gate)
        {
            Forget(field, ++_seq);
        }

        return true;
    }

    /// <summary>
    /// Every entry in Redis that has not expired (expired ones are deleted from the hash), or null when Redis is
    /// unavailable.
    /// </summary>
    public async Task<IReadOnlyList<SharedIpEntry>?> LoadAllAsync()
    {
        if (!_connection.IsConnected)
        {
            return null;
        }

        HashEntry[] fields;
        try
        {
            fields = await _connection.BoundedAsync(_connection.Database.HashGetAllAsync(_hash)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _connection.Failed(SharedStateOperation.IpList, e);
            return null;
        }

        var now = _connection.Time.GetUtcNow();
        var entries = new List<SharedIpEntry>(fields.Length);
        List<RedisValue>? stale = null;
        foreach (var field in fields)
        {
            if (!TryParse(field.Value, out var entry) || Field(entry.List, entry.Cidr) != field.Name)
            {
                // Left in place for the operator to look at; skipped by every replica.
                RejectStored(field.Name);
                continue;
            }

            if (entry.Expires is { } expires && expires <= now)
            {
                (stale ??= []).Add(field.Name);
                continue;
            }

            entries.Add(entry);
        }

        if (stale is not null)
        {
            _ = DeleteStaleAsync([.. stale]);
        }

        return entries;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _connection.StateChanged -= OnStateChanged;
        lock (_gate)
        {
            _retry?.Dispose();
            _retry = null;
        }

        if (_queue is { } queue)
        {
            try
            {
                await queue.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                _connection.Failed(SharedStateOperation.IpSubscribe, e);
            }
        }
    }

    private async Task<bool> WriteAsync(string field, byte[]? value, byte[] message)
    {
        try
        {
            var transaction = _connection.Database.CreateTransaction();
            _ = value is null ? transaction.HashDeleteAsync(_hash, field) : transaction.HashSetAsync(_hash, field, value);
            _ = transaction.PublishAsync(_channel, message);
            return await _connection.BoundedAsync(transaction.ExecuteAsync()).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _connection.Failed(SharedStateOperation.IpList, e);
            return false;
        }
    }

    private void OnStateChanged(bool connected)
    {
        if (connected && Volatile.Read(ref _disposed) == 0)
        {
            _ = ReloadAsync();
        }
    }

    /// <summary>
    /// Loads the hash, one load at a time: a request made during a load (the subscription connection coming back
    /// after the command connection) makes one more load after it. Never throws: a failure is logged, and a load
    /// that failed for another reason than Redis is tried again after <see cref="ReloadRetryDelay"/> (a Redis
    /// failure is tried again when the connection comes back).
    /// </summary>
    private async Task ReloadAsync()
    {
        if (Interlocked.Increment(ref _reloadRequests) != 1)
        {
            return;
        }

        try
        {
            do
            {
                Volatile.Write(ref _reloadRequests, 1);
                await ReloadOnceSafelyAsync().ConfigureAwait(false);
            }
            while (Interlocked.Decrement(ref _reloadRequests) != 0);
        }
        finally
        {
            // Reached with requests pending only when something above threw: later requests must still load.
            if (Volatile.Read(ref _reloadRequests) != 0)
            {
                Volatile.Write(ref _reloadRequests, 0);
            }
        }
    }

    private async Task ReloadOnceSafelyAsync()
    {
        try
        {
            await ReloadOnceAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            _connection.Failed(SharedStateOperation.IpList, e);
        }
#pragma warning disable CA1031 // A failed load must not stop the next ones, nor the node.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.ReloadFailed(_connection.Logger, e);
            _connection.Failed(SharedStateOperation.IpList, e);
            ScheduleRetry();
        }
        finally
        {
            lock (_gate)
            {
                _loading = false;
            }
        }
    }

    private void ScheduleRetry()
    {
        lock (_gate)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            _retry?.Dispose();
            _retry = _connection.Time.CreateTimer(
                static state => _ = ((SharedIpListChannel)state!).ReloadAsync(), this, ReloadRetryDelay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Subscribes if not done yet, loads the hash and reports what differs from what this replica knows.</summary>
    private async Task ReloadOnceAsync()
    {
        // Subscribe first, so that no change made after the load is missed.
        if (_queue is null)
        {
            await SubscribeAsync().ConfigureAwait(false);
        }

        long started;
        lock (_gate)
        {
            started = _seq;
            _loading = true;
        }

        var entries = await LoadAllAsync().ConfigureAwait(false);
        if (entries is null)
        {
            return;
        }

        lock (_gate)
        {
            var present = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                var field = Field(entry.List, entry.Cidr);
                present.Add(field);
                if (_known.TryGetValue(field, out var known) && (known.Seq > started || known.Entry == entry))
                {
                    // A message newer than the load decided, or nothing changed.
                    continue;
                }

                Remember(field, entry, known.Seq);
                Report(entry);
            }

            List<string>? forget = null;
            foreach (var (field, known) in _known)
            {
                if (known.Seq > started || present.Contains(field))
                {
                    continue;
                }

                (forget ??= []).Add(field);
                if (known.Entry is { } gone)
                {
                    ReportRemoved(gone.List, gone.Cidr);
                }
            }

            if (forget is not null)
            {
                foreach (var field in forget)
                {
                    _known.Remove(field);
                }
            }

            // Removals were kept only for this load.
            RemoveWhere(static known => known.Entry is null);
            _loading = false;
        }

        var reloaded = Reloaded;
        if (reloaded is not null)
        {
            try
            {
                reloaded();
            }
#pragma warning disable CA1031 // A handler's failure must not stop the channel.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.CallbackFailed(_connection.Logger, e);
            }
        }
    }

    private void OnMessage(ChannelMessage message)
    {
        SharedIpDocument? document;
        try
        {
            document = JsonSerializer.Deserialize((byte[]?)message.Message ?? [], SharedStateJsonContext.Default.SharedIpDocument);
        }
        catch (JsonException e)
        {
            Log.BadMessage(_connection.Logger, e);
            _connection.Metrics.CountIpEntryRejected(stored: false);
            return;
        }

        if (document is null || document.Sender == _sender)
        {
            return;
        }

        SharedIpEntry? entry = null;
        if (!IsValid(document.List, document.Cidr) || (document.Op != "del" && (document.Op != "set" || !TryRead(document, out entry))))
        {
            RejectMessage();
            return;
        }

        var field = Field(document.List, document.Cidr);
        lock (_gate)
        {
            var had = _known.TryGetValue(field, out var known) && known.Entry is not null;
            if (entry is not null && (entry.Expires is not { } expires || expires > _connection.Time.GetUtcNow()))
            {
                Remember(field, entry, ++_seq);
                Report(entry);
            }
            else
            {
                // Removed, or set already expired: either way gone from the lists.
                Forget(field, ++_seq);
                if (had)
                {
                    ReportRemoved(document.List, document.Cidr);
                }
            }
        }
    }

    // Under _gate.
    private void Remember(string field, SharedIpEntry entry, long seq)
    {
        if (_known.Count >= _sweepAt && !_known.ContainsKey(field))
        {
            var now = _connection.Time.GetUtcNow();
            RemoveWhere(known => known.Entry is null ? !_loading : known.Entry.Expires is { } expires && expires <= now);
            _sweepAt = Math.Max(MinSweepAt, _known.Count * 2);
            if (_known.Count >= MaxKnown)
            {
                // Still reported; a load may report it once more (adding again replaces, nothing doubles).
                return;
            }
        }

        _known[field] = (entry, seq);
    }

    // Under _gate. A removal is remembered only while a load is under way.
    private void Forget(string field, long seq)
    {
        if (_loading)
        {
            _known[field] = (null, seq);
        }
        else
        {
            _known.Remove(field);
        }
    }

    // Under _gate.
    private void RemoveWhere(Func<(SharedIpEntry? Entry, long Seq), bool> condition)
    {
        List<string>? doomed = null;
        foreach (var (field, known) in _known)
        {
            if (condition(known))
            {
                (doomed ??= []).Add(field);
            }
        }

        if (doomed is not null)
        {
            foreach (var field in doomed)
            {
                _known.Remove(field);
            }
        }
    }

    /// <summary>How many entries this replica remembers of the hash (removals under way included).</summary>
    internal int KnownCount
    {
        get
        {
            lock (_gate)
            {
                return _known.Count;
            }
        }
    }

    private void RejectStored(RedisValue field)
    {
        _connection.Metrics.CountIpEntryRejected(stored: true);
        var name = (string?)field ?? "";
        if (name.Length > MaxLoggedFieldLength)
        {
            name = name[..MaxLoggedFieldLength];
        }

        lock (_gate)
        {
            if (_rejectedFieldsLogged.Count >= MaxRejectedFieldsLogged || !_rejectedFieldsLogged.Add(name))
            {
                return;
            }
        }

        Log.StoredEntryRejected(_connection.Logger, name);
    }

    private void RejectMessage()
    {
        _connection.Metrics.CountIpEntryRejected(stored: false);
        var now = _connection.Time.GetUtcNow();
        long suppressed;
        lock (_gate)
        {
            if (now - _rejectedMessageLoggedAt < RejectedMessageLogInterval)
            {
                _rejectedMessagesNotLogged++;
                return;
            }

            _rejectedMessageLoggedAt = now;
            suppressed = _rejectedMessagesNotLogged;
            _rejectedMessagesNotLogged = 0;
        }

        Log.MessageRejected(_connection.Logger, suppressed);
    }

    private void Report(SharedIpEntry entry)
    {
        try
        {
            _upserted(entry);
        }
#pragma warning disable CA1031 // The IP list's failure must not stop the channel.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.CallbackFailed(_connection.Logger, e);
        }
    }

    private void ReportRemoved(string list, string cidr)
    {
        try
        {
            _removed(list, cidr);
        }
#pragma warning disable CA1031 // The IP list's failure must not stop the channel.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Log.CallbackFailed(_connection.Logger, e);
        }
    }

    private async Task DeleteStaleAsync(RedisValue[] fields)
    {
        try
        {
            await _connection.Database.HashDeleteAsync(_hash, fields).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            _connection.Failed(SharedStateOperation.IpList, e);
        }
    }

    private static bool TryParse(RedisValue value, [NotNullWhen(true)] out SharedIpEntry? entry)
    {
        entry = null;
        SharedIpDocument? document;
        try
        {
            document = JsonSerializer.Deserialize((byte[]?)value ?? [], SharedStateJsonContext.Default.SharedIpDocument);
        }
        catch (JsonException)
        {
            return false;
        }

        return document is not null && TryRead(document, out entry);
    }

    /// <summary>The entry a document holds, when every field of it is acceptable.</summary>
    private static bool TryRead(SharedIpDocument document, [NotNullWhen(true)] out SharedIpEntry? entry)
    {
        entry = null;
        if (!IsValid(document.List, document.Cidr)
            || document.Reason is { Length: > MaxReasonLength }
            || document.AddedBy is not { Length: <= MaxOriginLength })
        {
            return false;
        }

        DateTimeOffset? expires = null;
        if (document.Expires is { } ms)
        {
            if (ms < MinUnixMilliseconds || ms > MaxUnixMilliseconds)
            {
                return false;
            }

            expires = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        entry = new SharedIpEntry(document.List, document.Cidr, document.Reason, expires, document.AddedBy);
        return true;
    }

    private static SharedIpDocument ToDocument(SharedIpEntry entry) => new()
    {
        List = entry.List,
        Cidr = entry.Cidr,
        Reason = entry.Reason,
        Expires = entry.Expires?.ToUnixTimeMilliseconds(),
        AddedBy = entry.Origin,
    };

    private static string Field(string list, string cidr)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(cidr);
        if (!IsValid(list, cidr))
        {
            throw new ArgumentException("an IP list entry needs a list name (1 to " + MaxListLength + " characters, no '|') and an IP address or CIDR range");
        }

        return string.Concat(list, "|", cidr);
    }

    private static bool IsValid(string? list, string? cidr) =>
        list is { Length: > 0 and <= MaxListLength } && !list.Contains('|', StringComparison.Ordinal) && IpListNames.TryParseKind(list, out _)
        && cidr is { Length: > 0 } && (IPNetwork.TryParse(cidr, out _) || IPAddress.TryParse(cidr, out _));
}
