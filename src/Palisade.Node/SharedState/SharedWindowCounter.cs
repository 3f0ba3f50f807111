using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Palisade.Node.SharedState;

/// <summary>
/// A sliding-window counter shared by the replicas, for rate limits: two fixed windows per key, the previous
/// one weighted by how much of it the sliding window still covers. Buckets come from the Redis server's clock
/// (<c>TIME</c> inside the script), so replicas whose clocks disagree still count in the same buckets. Keys
/// are <c>{prefix}rl:{rule}:{hash}:{bucket}</c> where the hash is the first 16 bytes of the SHA-256 of the
/// counted key (a client address, a header value): a client cannot make Redis keys of its choosing or size.
/// Every method answers <c>null</c> when Redis cannot be reached within the operation timeout: the caller
/// counts in its own memory then.
/// </summary>
public sealed class SharedWindowCounter
{
    private const int MaxRuleLength = 100;
    private const int HashBytes = 16;

    // KEYS[1]: the counter's key without its bucket. ARGV[1]: the window (ms). ARGV[2]: the increment (0 reads).
    // ARGV[3]: the limit (0: none). Answers the current bucket's count plus the previous bucket's, weighted by the
    // share of the previous window the sliding window still covers. With a limit, an increment that would go over
    // it is not made (a refused request does not count, as in the node's own limiter) and the answer is the count
    // it would have made, so the caller sees it over the limit.
    private const string ScriptText = """
        if redis.replicate_commands then redis.replicate_commands() end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window = tonumber(ARGV[1])
        local by = tonumber(ARGV[2])
        local limit = tonumber(ARGV[3])
        local bucket = math.floor(now / window)
        local key = KEYS[1] .. ':' .. string.format('%.0f', bucket)
        local previous = tonumber(redis.call('GET', KEYS[1] .. ':' .. string.format('%.0f', bucket - 1)) or '0')
        local elapsed = now - bucket * window
        local weighted = math.floor(previous * (window - elapsed) / window)
        local current = tonumber(redis.call('GET', key) or '0')
        if by > 0 then
          if limit > 0 and current + weighted + by > limit then
            return current + weighted + by
          end
          current = redis.call('INCRBY', key, by)
          redis.call('PEXPIRE', key, window * 2 + 1000)
        end
        return current + weighted
        """;

    private static readonly LuaScript Script = LuaScript.Prepare(ScriptText);

    private readonly SharedStateConnection _connection;
    private readonly string _keyStart;

    public SharedWindowCounter(SharedStateConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _keyStart = connection.Key("rl:");
        connection.StateChanged += OnStateChanged;
        if (connection.IsConnected)
        {
            _ = LoadScriptAsync();
        }
    }

    /// <summary>
    /// Adds <paramref name="by"/> to <paramref name="key"/>'s count under <paramref name="rule"/> and answers the
    /// count over the sliding <paramref name="window"/> across all replicas, or <c>null</c> when Redis is unavailable.
    /// </summary>
    /// <param name="rule">The rule's name (printable ASCII).</param>
    /// <param name="key">What is counted (a client address, a header value); stored as a hash.</param>
    /// <param name="window">The sliding window.</param>
    /// <param name="by">How much to add.</param>
    /// <param name="limit">When given, an increment that would take the count over it is not made (the answer
    /// is still the count it would have made): requests refused for the limit do not count against it.</param>
    public ValueTask<long?> IncrementAsync(string rule, string key, TimeSpan window, long by = 1, long? limit = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit ?? 1, 1, nameof(limit));
        return RunAsync(rule, key, window, by, limit ?? 0);
    }

    /// <summary>The count over the sliding window without adding to it (brute-force checks), or <c>null</c>.</summary>
    public ValueTask<long?> GetAsync(string rule, string key, TimeSpan window) => RunAsync(rule, key, window, 0, 0);

    /// <summary>The Redis key of a counter, without its bucket.</summary>
    internal string KeyOf(string rule, string key)
    {
        CheckRule(rule);
        ArgumentNullException.ThrowIfNull(key);
        var length = Encoding.UTF8.GetMaxByteCount(key.Length);
        byte[]? rented = null;
        var bytes = length <= 512 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(key, bytes);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes[..written], hash);
            return string.Concat(_keyStart, rule, ":", Convert.ToHexStringLower(hash[..HashBytes]));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private async ValueTask<long?> RunAsync(string rule, string key, TimeSpan window, long by, long limit)
    {
        var windowMs = (long)window.TotalMilliseconds;
        ArgumentOutOfRangeException.ThrowIfLessThan(windowMs, 1, nameof(window));
        var redisKey = (RedisKey)KeyOf(rule, key);
        if (!_connection.IsConnected)
        {
            return null;
        }

        try
        {
            var result = await _connection.BoundedAsync(
                _connection.Database.ScriptEvaluateAsync(Script.ExecutableScript, [redisKey], [windowMs, by, limit])).ConfigureAwait(false);
            return (long)result;
        }
        catch (Exception e) when (e is RedisException or TimeoutException or InvalidCastException)
        {
            _connection.Failed(SharedStateOperation.Counter, e);
            return null;
        }
    }

    private void OnStateChanged(bool connected)
    {
        if (connected)
        {
            _ = LoadScriptAsync();
        }
    }

    /// <summary>
    /// Loads the script on the servers, so that calls send its SHA-1 (<c>EVALSHA</c>) rather than its text; if a
    /// server lost it (a restart), the client sends the text again by itself.
    /// </summary>
    private async Task LoadScriptAsync()
    {
        try
        {
            foreach (var server in _connection.Multiplexer.GetServers())
            {
                if (server.IsConnected && !server.IsReplica)
                {
                    await Script.LoadAsync(server).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            _connection.Failed(SharedStateOperation.Counter, e);
        }
    }

    private static void CheckRule(string rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (rule.Length is 0 or > MaxRuleLength)
        {
            throw new ArgumentException("a rule name has 1 to " + MaxRuleLength.ToString(CultureInfo.InvariantCulture) + " characters", nameof(rule));
        }

        foreach (var c in rule)
        {
            if (c is <= ' ' or > '~')
            {
                throw new ArgumentException("a rule name is printable ASCII without spaces", nameof(rule));
            }
        }
    }
}
