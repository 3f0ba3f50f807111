using System.Globalization;
using StackExchange.Redis;

namespace Palisade.Node.SharedState;

/// <summary>
/// How the node reaches the Redis shared by the replicas of one application. <see cref="Connection"/> is a
/// StackExchange.Redis configuration string (<c>host:port[,password=...]</c>); the rest has defaults that keep
/// the request path from waiting long on Redis.
/// </summary>
public sealed record RedisOptions
{
    /// <summary>The default key prefix; every replica of one application uses the same one, other applications another.</summary>
    public const string DefaultKeyPrefix = "palisade:";

    private RedisOptions(string connection, ConfigurationOptions parsed)
    {
        Connection = connection;
        Parsed = parsed;
    }

    /// <summary>The configuration string as given (it may carry a password: never log it).</summary>
    public string Connection { get; }

    /// <summary>Starts every key and channel name.</summary>
    public string KeyPrefix { get; init; } = DefaultKeyPrefix;

    /// <summary>Bound on one connection attempt.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>Bound on one command: a request never waits longer than this on Redis.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest wait between two reconnection attempts while Redis is away.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Names this replica in what it writes (IP list entries, events); the pod name by default.</summary>
    public string ReplicaId { get; init; } = Environment.MachineName;

    /// <summary>The event stream is trimmed to about this many entries (<c>XADD MAXLEN ~</c>).</summary>
    public long EventStreamMaxLength { get; init; } = 100_000;

    /// <summary>Event appends waiting for Redis at once; beyond, events are dropped and counted.</summary>
    public int EventMaxInFlight { get; init; } = 1_000;

    internal ConfigurationOptions Parsed { get; }

    /// <summary>
    /// Reads a configuration string: <c>host:port</c> endpoints and StackExchange.Redis options such as
    /// <c>password=</c>, <c>user=</c>, <c>ssl=</c>. Throws <see cref="FormatException"/> when it is not one.
    /// </summary>
    public static RedisOptions Parse(string connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ConfigurationOptions parsed;
        try
        {
            parsed = ConfigurationOptions.Parse(connection, ignoreUnknown: false);
        }
        catch (ArgumentException e)
        {
            throw new FormatException("redis: " + e.Message, e);
        }

        if (parsed.EndPoints.Count == 0)
        {
            throw new FormatException("redis: the connection string names no endpoint (host:port)");
        }

        return new RedisOptions(connection, parsed);
    }

    /// <summary>The options without the connection string (it may carry a password).</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"RedisOptions {{ Endpoints = {Describe()}, KeyPrefix = {KeyPrefix}, ConnectTimeout = {ConnectTimeout}, OperationTimeout = {OperationTimeout}, ReplicaId = {ReplicaId}, EventStreamMaxLength = {EventStreamMaxLength}, EventMaxInFlight = {EventMaxInFlight} }}");

    /// <summary>The endpoints, without any password, for logs.</summary>
    public string Describe() => string.Join(",", Parsed.EndPoints.Select(static e => e.ToString()));

    /// <summary>The StackExchange.Redis configuration: a fresh copy with this record's timeouts and behaviour.</summary>
    internal ConfigurationOptions ToConfiguration()
    {
        Validate();
        var configuration = Parsed.Clone();
        // The node starts without Redis and keeps reconnecting by itself.
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = Milliseconds(ConnectTimeout);
        configuration.SyncTimeout = Milliseconds(OperationTimeout);
        configuration.AsyncTimeout = Milliseconds(OperationTimeout);
        // While disconnected, commands fail at once instead of queueing for the timeout.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ReconnectRetryPolicy = new ExponentialRetry(Math.Min(250, Milliseconds(ReconnectMaxDelay)), Milliseconds(ReconnectMaxDelay));
        // Timeouts of asynchronous commands and dead sockets are noticed on the heartbeat.
        configuration.HeartbeatInterval = TimeSpan.FromMilliseconds(Math.Clamp(Milliseconds(OperationTimeout), 100, 1000));
        configuration.KeepAlive = 5;
        configuration.ClientName ??= "palisade-" + ReplicaId;
        return configuration;
    }

    internal void Validate()
    {
        if (string.IsNullOrEmpty(KeyPrefix) || KeyPrefix.Length > 64)
        {
            throw new FormatException("redis: the key prefix must have 1 to 64 characters");
        }

        if (ConnectTimeout <= TimeSpan.Zero || OperationTimeout <= TimeSpan.Zero || ReconnectMaxDelay <= TimeSpan.Zero)
        {
            throw new FormatException("redis: timeouts must be positive");
        }

        if (string.IsNullOrEmpty(ReplicaId) || ReplicaId.Length > 253)
        {
            throw new FormatException("redis: the replica id must have 1 to 253 characters");
        }

        if (EventStreamMaxLength < 1 || EventMaxInFlight < 1)
        {
            throw new FormatException("redis: the event stream length and in-flight bound must be positive, not "
                + EventStreamMaxLength.ToString(CultureInfo.InvariantCulture) + " and " + EventMaxInFlight.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static int Milliseconds(TimeSpan value) => (int)Math.Min(int.MaxValue, Math.Ceiling(value.TotalMilliseconds));
}
