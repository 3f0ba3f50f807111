using Palisade.Detection.Verdicts;
using Palisade.Node.Configuration;

namespace Palisade.Node.Policy;

/// <summary>
/// Settings that relax inspection for one <c>host</c>: the client writes the Host header, so any client can claim
/// that host. They are safe only when the application itself serves requests by Host (name-based virtual hosts),
/// so that a spoofed Host also reaches that host's application; the node says so at every load.
/// </summary>
public static class HostScopeWarnings
{
    /// <summary>One line per host-scoped route laxer than the default, host-scoped allow rule or exclusion.</summary>
    public static IReadOnlyList<string> Of(NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var warnings = new List<string>();
        foreach (var route in options.Routes)
        {
            if (route.Match.Host is { } host && route.Mode is { } mode && mode < options.Mode)
            {
                warnings.Add($"route '{route.Name}' inspects host {host.Text} in mode {mode.ToName()}, laxer than {options.Mode.ToName()}");
            }
        }

        foreach (var rule in options.AllowRules)
        {
            if (rule.Scope.Host is { } host)
            {
                warnings.Add($"allow rule '{rule.Name}' applies to host {host.Text}");
            }
        }

        foreach (var exclusion in options.Exclusions)
        {
            if (exclusion.Scope.Host is { } host)
            {
                warnings.Add($"exclusion '{exclusion.Name}' applies to host {host.Text}");
            }
        }

        return warnings;
    }
}
