using Microsoft.Extensions.Logging;
using Palisade.Node.Access;
using Palisade.Node.Configuration;
using Palisade.Detection.Verdicts;
using Palisade.Node.Metrics;
using Palisade.Node.RateLimiting;
using YamlDotNet.RepresentationModel;

namespace Palisade.Node.Policy;

/// <summary>
/// The policy in force and every way it changes: a reload of the configuration (file change, SIGHUP), and
/// exclusions confirmed through the management API, written to the file when it is writable (then reloaded like
/// any change) or else held in memory on top of it. Each change builds a whole new <see cref="NodePolicy"/>.
/// </summary>
public sealed partial class LivePolicy : IDisposable
{
    private readonly NodeOptions _initial;
    private readonly NodeMetrics _metrics;
    private readonly IpAccessStore _ipAccess;
    private readonly ILogger _logger;
    private readonly ConfigReloader? _reloader;
    private readonly RuntimeExclusions _runtime = new();
    private readonly Lock _gate = new();
    private RateLimiter _rateLimits;

    // The options the policy in force was built from, changed only under _gate: a rebuild for run-time exclusions
    // racing a reload takes the reload's options whichever runs first, never an older file's.
    private NodeOptions _applied;

    public LivePolicy(NodeOptions options, NodeConfigurationSources? sources, NodeMetrics metrics, IpAccessStore ipAccess, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        _initial = options;
        _applied = options;
        _metrics = metrics;
        _ipAccess = ipAccess;
        _logger = loggers.CreateLogger<LivePolicy>();
        // A source a brute-force rule graylists goes on the gray list until its time is up (kept across reloads).
        _rateLimits = new RateLimiter(options.RateLimits, time, metrics, (ip, duration, rule) => ipAccess.Add(new IpListEntry(
            new System.Net.IPNetwork(ip, ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128),
            IpListKind.Gray,
            $"rate-limit {rule.Name}",
            time.GetUtcNow() + duration,
            IpListSource.Api)));
        Active = new ActivePolicy(NodePolicy.From(options, rateLimits: _rateLimits));
        Metrics = new PolicyMetrics(metrics.Registry);
        Metrics.Loaded(Active.Current, options.Exclusions.Count, options.VirtualPatches.Count, options.AllowRules.Count);
        WarnAboutHostScopes(options);
        if (sources is not null)
        {
            _reloader = new ConfigReloader(sources, options, Apply, Metrics, time, loggers.CreateLogger<ConfigReloader>());
            ConfigFile = _reloader.File;
        }
    }

    /// <summary>What the request path reads.</summary>
    public ActivePolicy Active { get; }

    public PolicyMetrics Metrics { get; }

    /// <summary>The configuration in force.</summary>
    public NodeOptions Options => _reloader?.Current ?? _initial;

    /// <summary>The configuration file, when there is one.</summary>
    public string? ConfigFile { get; }

    /// <summary>Exclusions held in memory because the file could not take them.</summary>
    public IReadOnlyList<Detection.Rules.Exclusion> RuntimeExclusions => _runtime.Items;

    public Task<bool> ReloadAsync() => _reloader?.ReloadAsync() ?? Task.FromResult(false);

    /// <summary>
    /// Puts confirmed exclusions in force: written to the configuration file and reloaded when it can be, held in
    /// memory otherwise. Returns whether they were written and, when not, why.
    /// </summary>
    public async Task<(bool Written, string? Reason)> AddExclusionsAsync(IReadOnlyList<ProposedExclusion> proposals)
    {
        ArgumentNullException.ThrowIfNull(proposals);
        var exclusions = Parse(proposals);
        var reason = ConfigFile is null ? "the node has no configuration file" : PolicyFileWriter.AppendExclusions(ConfigFile, proposals);
        if (reason is null && await ReloadAsync())
        {
            Log.ExclusionsWritten(_logger, proposals.Count, ConfigFile!);
            return (true, null);
        }

        reason ??= "the configuration file was written but did not reload";
        if (!_runtime.Add(exclusions))
        {
            throw new ExclusionRefusedException($"{Policy.RuntimeExclusions.MaxItems} exclusions are held in memory already ({reason}): put them in the configuration file");
        }

        Rebuild(options: null);
        Log.ExclusionsHeldInMemory(_logger, proposals.Count, reason);
        return (false, reason);
    }

    public void Dispose() => _reloader?.Dispose();

    private void Apply(NodeOptions options)
    {
        Rebuild(options);
        _metrics.SetMode(options.Mode.ToName());
        _ipAccess.ReplaceConfiguration(IpListEntries.FromOptions(options), CountryRules.FromOptions(options));
    }

    /// <summary>Builds and swaps in the policy for <paramref name="options"/>, or for the options in force when null.</summary>
    private void Rebuild(NodeOptions? options)
    {
        var loaded = options is not null;
        lock (_gate)
        {
            options = _applied = options ?? _applied;
            _rateLimits = _rateLimits.WithRules(options.RateLimits);
            var next = NodePolicy.From(options, _runtime.Items, _rateLimits);
            Active.Swap(next);
            Metrics.Loaded(next, options.Exclusions.Count + _runtime.Items.Count, options.VirtualPatches.Count, options.AllowRules.Count);
        }

        if (loaded)
        {
            // On a load, not when run-time exclusions are added.
            WarnAboutHostScopes(options);
        }
    }

    private void WarnAboutHostScopes(NodeOptions options)
    {
        foreach (var warning in HostScopeWarnings.Of(options))
        {
            Log.HostScopedRelaxation(_logger, warning);
        }
    }

    // Through the same reader as the file: an exclusion held in memory means exactly what it would in the file.
    private static IReadOnlyList<Detection.Rules.Exclusion> Parse(IReadOnlyList<ProposedExclusion> proposals)
    {
        var yaml = "exclusions:\n" + string.Concat(proposals.Select(p => p.ToYaml()));
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        return ExclusionsYaml.Apply(new NodeOptions(), root.Children[new YamlScalarNode("exclusions")], "management-api").Exclusions;
    }
}
