using Palisade.Detection.Engine;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;
using Palisade.Detection.Points;

namespace Palisade.Detection.Rules;

/// <summary>
/// The rules that apply to one request, and what they decided. Rules that test point values watch the
/// inspection (as its <see cref="IInspectionObserver"/>); <see cref="Apply"/> then turns the detectors' findings
/// into the request's: virtual patches add theirs, a matching allow rule drops the detectors', and exclusions drop
/// those at the points they cover. One instance per request; not thread-safe.
/// </summary>
public sealed class ScopedRules : IInspectionObserver
{
    private const int MaxEvidence = 64;

    private readonly IReadOnlyList<Exclusion> _exclusions;
    private readonly IReadOnlyList<RequestRule> _rules;
    private readonly RulePath _path;
    private readonly bool[] _matched;
    private readonly string?[] _matchedPoints;
    private readonly string?[] _evidence;

    internal ScopedRules(IReadOnlyList<Exclusion> exclusions, IReadOnlyList<RequestRule> rules, RulePath path)
    {
        _exclusions = exclusions;
        _rules = rules;
        _path = path;
        _matched = new bool[rules.Count];
        _matchedPoints = new string?[rules.Count];
        _evidence = new string?[rules.Count];
        for (var i = 0; i < rules.Count; i++)
        {
            // A rule without a value condition holds for every request in its scope.
            _matched[i] = rules[i].IsUnconditional;
            NeedsValues |= !rules[i].IsUnconditional;
        }
    }

    /// <summary>True when a rule tests point values, so the inspection must be watched.</summary>
    public bool NeedsValues { get; }

    /// <summary>True when an allow rule holds without looking at any value: the detectors need not run.</summary>
    public bool AllowedOutright
    {
        get
        {
            for (var i = 0; i < _rules.Count; i++)
            {
                if (_rules[i].Action == RequestRuleAction.Allow && _rules[i].IsUnconditional)
                {
                    return true;
                }
            }

            return false;
        }
    }

    public IReadOnlyList<Exclusion> Exclusions => _exclusions;

    public void Inspected(Point point, ReadOnlySpan<char> value, in ValueOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(point);
        string? text = null;
        for (var i = 0; i < _rules.Count; i++)
        {
            if (_matched[i])
            {
                continue;
            }

            text ??= point.ToString();
            if (_rules[i].MatchesValue(text, value))
            {
                _matched[i] = true;
                _matchedPoints[i] = text;
                _evidence[i] = EvidenceFormatter.IsSecretPoint(point) ? "[masked]" : Excerpt(value);
            }
        }
    }

    /// <summary>The request's findings under the rules.</summary>
    /// <param name="detected">What the detectors found (empty when they did not run).</param>
    public IReadOnlyList<Finding> Apply(IReadOnlyList<Finding> detected)
    {
        ArgumentNullException.ThrowIfNull(detected);
        var allowed = false;
        List<Finding>? patches = null;
        for (var i = 0; i < _rules.Count; i++)
        {
            if (!_matched[i])
            {
                continue;
            }

            var rule = _rules[i];
            if (rule.Action == RequestRuleAction.Allow)
            {
                allowed = true;
                continue;
            }

            var reason = _path.MultipleEncoded ? $"virtual patch {rule.Name} (multiple URL encoding)" : $"virtual patch {rule.Name}";
            (patches ??= []).Add(new Finding(AttackType.VirtualPatch, _matchedPoints[i] ?? "request", "rule." + rule.Name, reason, _evidence[i] ?? _path.Value, 100));
        }

        List<Finding>? kept = patches;
        foreach (var finding in detected)
        {
            // Budgets are the node's own protection: neither an allow rule nor an exclusion turns them off.
            if (finding.AttackType != AttackType.Overlimit && (allowed || IsExcluded(finding)))
            {
                continue;
            }

            (kept ??= []).Add(finding);
        }

        return kept ?? (IReadOnlyList<Finding>)[];
    }

    /// <summary>The exclusion that drops this finding, if any (for explaining a decision).</summary>
    public Exclusion? ExcludedBy(Finding finding)
    {
        foreach (var exclusion in _exclusions)
        {
            if (exclusion.Covers(finding))
            {
                return exclusion;
            }
        }

        return null;
    }

    private bool IsExcluded(Finding finding) => ExcludedBy(finding) is not null;

    private static string Excerpt(ReadOnlySpan<char> value)
    {
        var cut = value.Length > MaxEvidence ? value[..MaxEvidence] : value;
        return string.Create(cut.Length, cut.ToString(), static (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                span[i] = char.IsControl(text[i]) ? '?' : text[i];
            }
        });
    }
}
