using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Palisade.Node.Configuration;

namespace Palisade.Node.Policy;

/// <summary>
/// Hot reload: on a change of the configuration file (watched, and polled as a fallback for volumes that do not
/// report changes, such as a ConfigMap's symlink swap on some kernels) or on <see cref="ReloadAsync"/> (SIGHUP),
/// the whole configuration is loaded again from the same sources and validated; a valid one becomes the policy in
/// force in one atomic swap, an invalid one is logged and counted while the last good one keeps serving. Settings
/// that only a restart can change (listeners, upstream, limits of the server) are reported, not applied.
/// </summary>
public sealed partial class ConfigReloader : IDisposable
{
    /// <summary>The settings a reload applies; the others need a restart.</summary>
    public static readonly IReadOnlySet<string> ReloadableSettings = new HashSet<string>(StringComparer.Ordinal)
    {
        "mode", "graylist", "inspection-limit", "oversize-policy", "overlimit-policy", "block-status", "fail-open",
    };

    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(200);

    private readonly NodeConfigurationSources _sources;
    private readonly string? _file;
    private readonly Action<NodeOptions> _apply;
    private readonly PolicyMetrics _metrics;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly FileSystemWatcher? _watcher;
    private readonly ITimer? _poll;
    private readonly TimeProvider _time;
    private NodeOptions _current;
    private byte[]? _fileHash;
    private ITimer? _pending;
    private volatile bool _disposed;

    /// <param name="sources">Where the configuration came from; a reload reads them again.</param>
    /// <param name="current">The configuration in force.</param>
    /// <param name="apply">Puts a validated configuration in force (the policy swap).</param>
    /// <param name="metrics">Reload counters.</param>
    /// <param name="time">Time, for the poll and the debounce.</param>
    /// <param name="logger">Where results are logged.</param>
    /// <param name="pollInterval">How often the file's content is compared as a fallback to the watcher.</param>
    public ConfigReloader(NodeConfigurationSources sources, NodeOptions current, Action<NodeOptions> apply, PolicyMetrics metrics, TimeProvider time, ILogger<ConfigReloader> logger, TimeSpan? pollInterval = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        _sources = sources;
        _current = current;
        _apply = apply;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _file = sources.ConfigFile ?? sources.Environment.GetValueOrDefault(NodeOptionsLoader.ConfigFileVariable);
        if (string.IsNullOrEmpty(_file))
        {
            _file = null;
            return;
        }

        _file = Path.GetFullPath(_file);
        _fileHash = Hash(_file);
        var directory = Path.GetDirectoryName(_file);
        if (directory is not null && Directory.Exists(directory))
        {
            // The directory, not the file: editors replace files by renaming, and a ConfigMap volume swaps a symlink.
            _watcher = new FileSystemWatcher(directory)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };
            _watcher.Changed += (_, _) => Schedule();
            _watcher.Created += (_, _) => Schedule();
            _watcher.Renamed += (_, _) => Schedule();
            _watcher.Deleted += (_, _) => Schedule();
            _watcher.EnableRaisingEvents = true;
        }

        var interval = pollInterval ?? TimeSpan.FromSeconds(5);
        _poll = time.CreateTimer(_ => Schedule(), null, interval, interval);
    }

    /// <summary>The configuration file watched, as a full path; null when the configuration has none.</summary>
    public string? File => _file;

    /// <summary>The configuration in force.</summary>
    public NodeOptions Current => Volatile.Read(ref _current);

    /// <summary>Loads the configuration again and applies it if valid. Returns whether it was applied.</summary>
    /// <param name="force">Reload even when the file's content has not changed (SIGHUP).</param>
    public async Task<bool> ReloadAsync(bool force = true)
    {
        await _gate.WaitAsync();
        try
        {
            var hash = _file is null ? null : Hash(_file);
            if (!force && hash is not null && _fileHash is not null && hash.AsSpan().SequenceEqual(_fileHash))
            {
                return false;
            }

            NodeOptions loaded;
            try
            {
                loaded = NodeOptionsLoader.Load(_sources);
            }
            catch (ConfigurationException e)
            {
                // A rejected file is not tried again until it changes: its hash is remembered.
                _fileHash = hash;
                _metrics.ReloadRejected();
                Log.ReloadRejected(_logger, e.Message);
                return false;
            }

            foreach (var setting in NodeSettings.All)
            {
                if (!ReloadableSettings.Contains(setting.Key) && setting.Format(loaded) != setting.Format(_current))
                {
                    Log.RestartNeeded(_logger, setting.Key);
                }
            }

            try
            {
                _apply(loaded);
            }
#pragma warning disable CA1031 // Whatever putting it in force threw, the last good configuration keeps serving; the change is tried again.
            catch (Exception e) when (!_disposed)
#pragma warning restore CA1031
            {
                // The hash is not remembered: the next poll tries this file again.
                _metrics.ReloadRejected();
                Log.ApplyFailed(_logger, e);
                return false;
            }

            _fileHash = hash;
            Volatile.Write(ref _current, loaded);
            _metrics.ReloadApplied();
            Log.ReloadApplied(_logger, loaded.Routes.Count, loaded.Exclusions.Count, loaded.VirtualPatches.Count + loaded.AllowRules.Count);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _watcher?.Dispose();
        _poll?.Dispose();
        Interlocked.Exchange(ref _pending, null)?.Dispose();
        _gate.Dispose();
    }

    // A save is often several events (truncate, write, rename): they are gathered into one reload after a short quiet.
    // Ignored once disposed (a watcher event or poll may still be on its way).
    internal void Schedule()
    {
        if (_disposed)
        {
            return;
        }

        var timer = _time.CreateTimer(static state => _ = ((ConfigReloader)state!).ReloadInBackgroundAsync(), this, Debounce, Timeout.InfiniteTimeSpan);
        Interlocked.Exchange(ref _pending, timer)?.Dispose();
        if (_disposed)
        {
            Interlocked.Exchange(ref _pending, null)?.Dispose();
        }
    }

    // The debounced reload: nobody awaits it, so every failure is logged and counted here, never lost.
    private async Task ReloadInBackgroundAsync()
    {
        try
        {
            await ReloadAsync(force: false);
        }
#pragma warning disable CA1031 // Nobody else would see it: logged and counted, and the change is tried again at the next poll.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (_disposed)
            {
                return;
            }

            _metrics.ReloadRejected();
            Log.ReloadFailed(_logger, e);
        }
    }

    private static byte[]? Hash(string file)
    {
        try
        {
            return SHA256.HashData(System.IO.File.ReadAllBytes(file));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
