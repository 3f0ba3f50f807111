using Palisade.Node.Metrics;
using Prometheus;

namespace Palisade.Node.Policy;

/// <summary>
/// The policy's metrics, in the node's registry: reloads by result, whether the last one worked and when, and
/// decisions by route and action (route names come from the configuration, so the label stays bounded).
/// </summary>
public sealed class PolicyMetrics
{
    private readonly Counter _reloads;
    private readonly Gauge _lastReloadSuccessful;
    private readonly Gauge _lastReloadTime;
    private readonly Counter _decisions;
    private readonly Gauge _rules;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Counter.Child[]> _byRoute = new(StringComparer.Ordinal);

    public PolicyMetrics(CollectorRegistry registry)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _reloads = factory.CreateCounter("palisade_config_reloads_total", "Configuration reloads (file change or SIGHUP) by result: applied, or rejected with the last good configuration kept.", "result");
        _lastReloadSuccessful = factory.CreateGauge("palisade_config_last_reload_successful", "1 when the last reload was applied (or none was tried), 0 while a rejected configuration waits to be fixed.");
        _lastReloadTime = factory.CreateGauge("palisade_config_last_reload_timestamp_seconds", "When the configuration in force was loaded (Unix time).");
        _decisions = factory.CreateCounter("palisade_route_decisions_total", "Inspected requests by policy route and what was done (pass, monitor, block, error).", "route", "action");
        _rules = factory.CreateGauge("palisade_policy_rules", "Rules of the policy in force, by kind (routes, exclusions, virtual_patches, allow_rules).", "kind");
        _lastReloadSuccessful.Set(1);
        _lastReloadTime.SetToCurrentTimeUtc();
    }

    public void Loaded(NodePolicy policy, int exclusions, int patches, int allows)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _rules.WithLabels("routes").Set(policy.Routes.Count);
        _rules.WithLabels("exclusions").Set(exclusions);
        _rules.WithLabels("virtual_patches").Set(patches);
        _rules.WithLabels("allow_rules").Set(allows);

        // Every route's series exist from the start, so the set of series does not depend on the traffic seen.
        Children(policy.Default.Name);
        foreach (var route in policy.Routes)
        {
            Children(route.Name);
        }
    }

    public void ReloadApplied()
    {
        _reloads.WithLabels("success").Inc();
        _lastReloadSuccessful.Set(1);
        _lastReloadTime.SetToCurrentTimeUtc();
    }

    public void ReloadRejected()
    {
        _reloads.WithLabels("failure").Inc();
        _lastReloadSuccessful.Set(0);
    }

    public void CountDecision(string route, RequestOutcome outcome) => Children(route)[(int)outcome].Inc();

    private Counter.Child[] Children(string route) =>
        _byRoute.GetOrAdd(route, static (name, decisions) =>
            Enum.GetValues<RequestOutcome>().Select(o => decisions.WithLabels(name, OutcomeName(o))).ToArray(), _decisions);

    private static string OutcomeName(RequestOutcome outcome) => outcome switch
    {
        RequestOutcome.Pass => "pass",
        RequestOutcome.Monitor => "monitor",
        RequestOutcome.Block => "block",
        RequestOutcome.Error => "error",
        _ => "reject",
    };
}
