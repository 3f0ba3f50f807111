namespace Palisade.Detection.Rules;

/// <summary>
/// The operator's rules: exclusions, virtual patches and allow rules, each scoped to requests. Immutable; a
/// reload builds a new one. <see cref="Select"/> picks what applies to one request, and is free when nothing does.
/// </summary>
public sealed class RuleSet
{
    public RuleSet(IReadOnlyList<Exclusion> exclusions, IReadOnlyList<RequestRule> rules)
    {
        ArgumentNullException.ThrowIfNull(exclusions);
        ArgumentNullException.ThrowIfNull(rules);
        Exclusions = exclusions;
        Rules = rules;
    }

    public static RuleSet Empty { get; } = new([], []);

    public IReadOnlyList<Exclusion> Exclusions { get; }

    /// <summary>Virtual patches and allow rules, in the order written.</summary>
    public IReadOnlyList<RequestRule> Rules { get; }

    public bool IsEmpty => Exclusions.Count == 0 && Rules.Count == 0;

    /// <summary>The rules whose scope holds this request; null when there are none.</summary>
    /// <param name="method">The request method.</param>
    /// <param name="host">The request's host.</param>
    /// <param name="path">The request's path, in all its readings.</param>
    /// <param name="route">The name of the route the request resolved to, for rules scoped by route.</param>
    public ScopedRules? Select(string method, string host, RulePath path, string? route = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (IsEmpty)
        {
            return null;
        }

        List<Exclusion>? exclusions = null;
        List<RequestRule>? rules = null;
        // An ambiguous path (see RulePath): exclusions and allow rules must hold under both readings, virtual
        // patches under either.
        foreach (var exclusion in Exclusions)
        {
            if (exclusion.Scope.AllowsRoute(route) && exclusion.Scope.MatchesBoth(method, host, path))
            {
                (exclusions ??= []).Add(exclusion);
            }
        }

        foreach (var rule in Rules)
        {
            // A virtual patch scoped by route also holds where its route's matcher does: tightening errs wide.
            var inScope = rule.Action == RequestRuleAction.Allow
                ? rule.Scope.AllowsRoute(route) && rule.Scope.MatchesBoth(method, host, path)
                : rule.Scope.MatchesEither(method, host, path);
            if (inScope)
            {
                (rules ??= []).Add(rule);
            }
        }

        return exclusions is null && rules is null ? null : new ScopedRules(exclusions ?? [], rules ?? [], path);
    }
}
