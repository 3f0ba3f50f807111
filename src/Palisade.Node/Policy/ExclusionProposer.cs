using Palisade.Detection.Findings;
using Palisade.Detection.Rules;

namespace Palisade.Node.Policy;

/// <summary>
/// Proposes the narrowest exclusions that let a request the node flagged through: per finding, its exact point
/// and detector, on the request's exact (normalised) path and method. Budget findings (<c>overlimit</c>) and
/// virtual patches are the operator's own decisions and are never proposed away.
/// </summary>
public static class ExclusionProposer
{
    public static IReadOnlyList<ProposedExclusion> Propose(string eventId, string method, string rawPath, IReadOnlyList<(string Type, string Point, string Detector)> findings)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        ArgumentNullException.ThrowIfNull(findings);
        var path = RulePath.Normalize(rawPath).Value;
        // A path a pattern cannot spell exactly is left out of the scope (the point and detector still narrow it).
        var scopedPath = PathPattern.TryCreate(path, PathMatchKind.Exact, caseSensitive: true, out _) is null ? null : path;
        var stem = "fp-" + Stem(eventId);
        var proposals = new List<ProposedExclusion>();
        foreach (var (type, point, detector) in findings)
        {
            if (type == AttackType.Overlimit.ToName() || type == AttackType.VirtualPatch.ToName() || PointPattern.TryParse(point, out _) is null)
            {
                continue;
            }

            if (proposals.Exists(p => p.Point == point && p.DetectorId == detector))
            {
                continue;
            }

            proposals.Add(new ProposedExclusion($"{stem}-{proposals.Count + 1}", scopedPath, method, point, detector, $"false positive in event {eventId}"));
        }

        return proposals;
    }

    // Names are lower-case letters, digits, '-' and '_' (PolicyNames): the event id's first such characters.
    private static string Stem(string eventId)
    {
        var chars = eventId.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c)).Take(12).ToArray();
        return chars.Length == 0 ? "event" : new string(chars);
    }
}
