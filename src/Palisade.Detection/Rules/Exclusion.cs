using Palisade.Detection.Findings;

namespace Palisade.Detection.Rules;

/// <summary>
/// A false-positive fix: findings at points matching <see cref="Points"/> (and what was decoded out of them) on
/// requests matching <see cref="Scope"/> do not count, for the listed attack types and detector ids, or for all
/// of them when both lists are empty.
/// </summary>
public sealed record Exclusion(
    string Name,
    RequestMatcher Scope,
    PointPattern Points,
    IReadOnlySet<AttackType> AttackTypes,
    IReadOnlySet<string> DetectorIds)
{
    public bool AllDetectors => AttackTypes.Count == 0 && DetectorIds.Count == 0;

    public bool Covers(Finding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        // Budgets are the node's own protection, never a detector an exclusion can turn off.
        if (finding.AttackType == AttackType.Overlimit)
        {
            return false;
        }

        return (AllDetectors || AttackTypes.Contains(finding.AttackType) || DetectorIds.Contains(finding.DetectorId))
            && Points.Matches(finding.Point);
    }
}
