using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Palisade.Node.SharedState;

/// <summary>
/// The node's connection to the Redis its replicas share. The node starts whether Redis answers or not, and
/// the connection keeps coming back by itself; <see cref="IsConnected"/> says whether shared state is usable
/// now (callers fall back to their in-memory state when it is not) and <see cref="StateChanged"/> tells when
/// that changes, so that what may have been missed while away is loaded again.
/// </summary>
public sealed partial class SharedStateConnection : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly ConnectionMultiplexer _multiplexer;
    private readonly ITimer _poll;
    private readonly Lock _stateLock = new();
    private readonly string _endpoints;
    private bool _connected;
    private int _disposed;

    private SharedStateConnection(ConnectionMultiplexer multiplexer, RedisOptions options, SharedStateMetrics metrics, ILogger logger, TimeProvider time)
    {
        _multiplexer = multiplexer;
        Options = options;
        _endpoints = options.Describe();
        Metrics = metrics;
        Logger = logger;
        Time = time;
        Database = multiplexer.GetDatabase();
        Subscriber = multiplexer.GetSubscriber();
        _multiplexer.ConnectionFailed += OnConnectionFailed;
        _multiplexer.ConnectionRestored += OnConnectionRestored;
        // The multiplexer's events say when a socket fails or comes back; the poll keeps the gauge and the state
        // right whatever the order of those events.
        _poll = time.CreateTimer(static state => ((SharedStateConnection)state!).Refresh(restored: false), this, PollInterval, PollInterval);
    }

    /// <summary>
    /// (Re)connected (<c>true</c>: shared state may have changed while away, load it again) or lost
    /// (<c>false</c>). Raised on the connection's threads; handlers must not block.
    /// </summary>
    public event Action<bool>? StateChanged;

    public RedisOptions Options { get; }

    /// <summary>Whether commands can reach Redis now.</summary>
    public bool IsConnected => _multiplexer.IsConnected;

    internal SharedStateMetrics Metrics { get; }

    internal ILogger Logger { get; }

    internal TimeProvider Time { get; }

    internal IDatabase Database { get; }

    internal ISubscriber Subscriber { get; }

    internal IConnectionMultiplexer Multiplexer => _multiplexer;

    /// <summary>
    /// Connects, waiting at most the connect timeout: when Redis does not answer the connection is returned
    /// disconnected and keeps trying in the background.
    /// </summary>
    public static async Task<SharedStateConnection> ConnectAsync(RedisOptions options, SharedStateMetrics metrics, ILogger<SharedStateConnection> logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        var configuration = options.ToConfiguration();
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        var connection = new SharedStateConnection(multiplexer, options, metrics, logger, time ?? TimeProvider.System);
        if (!multiplexer.IsConnected)
        {
            metrics.CountError(SharedStateOperation.Connect);
            Log.StartedDisconnected(logger, connection._endpoints);
        }

        connection.Refresh(restored: multiplexer.IsConnected);
        return connection;
    }

    /// <summary>The full name of a key or channel: the prefix, then <paramref name="suffix"/>.</summary>
    internal string Key(string suffix) => Options.KeyPrefix + suffix;

    /// <summary>
    /// Waits for a command at most the operation timeout (the client's own timeout is only checked on its
    /// heartbeat). A command given up on is still observed when it fails later, so its failure is not reported
    /// as an unobserved task exception.
    /// </summary>
    internal async Task<T> BoundedAsync<T>(Task<T> command)
    {
        try
        {
            return await command.WaitAsync(Options.OperationTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!command.IsCompleted)
        {
            _ = command.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
    }

    /// <summary>Counts and logs a failed operation (a timeout, a dropped socket, an error answer).</summary>
    internal void Failed(SharedStateOperation operation, Exception exception)
    {
        Metrics.CountError(operation);
        Log.OperationFailed(Logger, operation, exception);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _poll.DisposeAsync().ConfigureAwait(false);
        _multiplexer.ConnectionFailed -= OnConnectionFailed;
        _multiplexer.ConnectionRestored -= OnConnectionRestored;
        await _multiplexer.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
        await _multiplexer.DisposeAsync().ConfigureAwait(false);
        Metrics.SetUp(false);
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        Metrics.CountError(SharedStateOperation.Connect);
        Log.ConnectionFailed(Logger, e.EndPoint, e.ConnectionType, e.FailureType, e.Exception);
        Refresh(restored: false);
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        Log.ConnectionRestored(Logger, e.EndPoint, e.ConnectionType);
        // Either connection coming back (commands or subscriptions) is a reason to load again what was missed.
        Refresh(restored: true);
    }

    private void Refresh(bool restored)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        bool connected;
        bool changed;
        lock (_stateLock)
        {
            connected = _multiplexer.IsConnected;
            changed = connected != _connected;
            _connected = connected;
        }

        Metrics.SetUp(connected);
        if (changed)
        {
            if (connected)
            {
                Log.Connected(Logger, _endpoints);
            }
            else
            {
                Log.Disconnected(Logger, _endpoints);
            }
        }

        if (changed || (restored && connected))
        {
            Raise(connected);
        }
    }

    private void Raise(bool connected)
    {
        var handlers = StateChanged;
        if (handlers is null)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList())
        {
            try
            {
                ((Action<bool>)handler)(connected);
            }
#pragma warning disable CA1031 // A subscriber's failure must not stop the others nor the connection's thread.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Log.HandlerFailed(Logger, e);
            }
        }
    }
}
