using System.Globalization;
using System.Text;
using Palisade.Detection.Findings;
using Palisade.Detection.Rules;
using Palisade.Node.Configuration;
using YamlDotNet.RepresentationModel;

namespace Palisade.Node.Policy;

/// <summary>
/// Proposes the narrowest exclusions that let a request the node flagged through: per finding, its exact point
/// and detector, on the request's exact (normalised) path and method. Budget findings (<c>overlimit</c>) and
/// virtual patches are the operator's own decisions and are never proposed away. What cannot be spelled exactly
/// (a path no exact pattern reads back as the request's, a point holding a glob character, a method the policy
/// cannot name) is refused with <see cref="ExclusionRefusedException"/>, never widened.
/// </summary>
public static class ExclusionProposer
{
    // Escaped in an exact path pattern: the pattern reader refuses them raw ('*' is a glob, '?' and '#' end a
    // path), and '%' so that an escape-looking sequence is not decoded once more.
    private const string PathEscaped = "%?#* ";

    public static IReadOnlyList<ProposedExclusion> Propose(string eventId, string method, string rawPath, IReadOnlyList<(string Type, string Point, string Detector)> findings)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(findings);
        var requestPath = RulePath.Normalize(rawPath);
        if (requestPath.IsAmbiguous)
        {
            // Exclusions hold only where every reading agrees (see RulePath): an exact path matches one reading
            // only, so it would not apply to this request.
            throw new ExclusionRefusedException($"the request's path '{rawPath}' is spelled so that servers resolve it differently ('{requestPath.Value}', '{requestPath.Literal}' or as sent): an exact exclusion cannot hold under every reading; scope one by a prefix the readings share, by hand");
        }

        var scopedPath = ExactPath(requestPath.Value);
        if (method.Length == 0 || !method.All(char.IsAsciiLetter))
        {
            throw new ExclusionRefusedException($"the request's method '{method}' cannot be named in a policy (methods are letters): write the exclusion by hand");
        }

        // Method scopes ignore case; the policy writes them in capitals.
        method = method.ToUpperInvariant();

        var stem = "fp-" + Stem(eventId);
        var proposals = new List<ProposedExclusion>();
        foreach (var (type, point, detector) in findings)
        {
            if (type == AttackType.Overlimit.ToName() || type == AttackType.VirtualPatch.ToName() || PointPattern.TryParse(point, out _) is null)
            {
                continue;
            }

            // A point pattern has no escape: a '*' or '?' in a key (body.json["a*b"]) would be a glob and cover
            // other points too.
            if (point.AsSpan().IndexOfAny('*', '?') >= 0)
            {
                throw new ExclusionRefusedException($"the point '{point}' holds a '*' or '?', which a point pattern would read as a glob covering other points: write the exclusion by hand");
            }

            if (proposals.Exists(p => p.Point == point && p.DetectorId == detector))
            {
                continue;
            }

            proposals.Add(new ProposedExclusion($"{stem}-{proposals.Count + 1}", scopedPath, method, point, detector, $"false positive in event {eventId}"));
        }

        EnsureReadBackExactly(proposals, rawPath);
        return proposals;
    }

    /// <summary>
    /// The text of an exact path pattern that matches <paramref name="path"/> (a normalised path) and nothing
    /// else: the path itself, or with the characters a pattern cannot hold percent-escaped (the pattern is
    /// normalised as requests are, so <c>/a%2Ab</c> stands for <c>/a*b</c>).
    /// </summary>
    internal static string ExactPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = new StringBuilder(path.Length);
        foreach (var c in path)
        {
            if (PathEscaped.Contains(c, StringComparison.Ordinal) || char.IsControl(c))
            {
                foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
                {
                    text.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
                }
            }
            else
            {
                text.Append(c);
            }
        }

        var escaped = text.ToString();
        var pattern = PathPattern.TryCreate(escaped, PathMatchKind.Exact, caseSensitive: true, out _);
        if (pattern is null || RulePath.Normalize(escaped).Value != path)
        {
            throw new ExclusionRefusedException($"the request's path '{path}' cannot be written as an exact path pattern (it still holds percent-escapes after decoding): an exclusion without it would cover the whole site, write it by hand");
        }

        return escaped;
    }

    // Read back through the reader palisade.yaml goes through: each proposal must mean exactly what it says.
    private static void EnsureReadBackExactly(List<ProposedExclusion> proposals, string rawPath)
    {
        if (proposals.Count == 0)
        {
            return;
        }

        IReadOnlyList<Exclusion> read;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader("exclusions:\n" + string.Concat(proposals.Select(p => p.ToYaml()))));
            var root = (YamlMappingNode)stream.Documents[0].RootNode;
            read = ExclusionsYaml.Apply(new NodeOptions(), root.Children[new YamlScalarNode("exclusions")], "proposal").Exclusions;
        }
        catch (Exception e) when (e is ConfigurationException or YamlDotNet.Core.YamlException or ArgumentException)
        {
            throw new ExclusionRefusedException($"the proposal does not read back as written: {e.Message}", e);
        }

        var requestPath = RulePath.Normalize(rawPath);
        for (var i = 0; i < proposals.Count; i++)
        {
            var (proposal, exclusion) = (proposals[i], read[i]);
            if (exclusion.Name != proposal.Name || exclusion.Points.Text != proposal.Point || exclusion.AllDetectors
                || exclusion.Scope.Path is not { Kind: PathMatchKind.Exact } path || !path.Matches(requestPath)
                || exclusion.Scope.Methods is not { Count: 1 } methods || !methods.Contains(proposal.Method))
            {
                throw new ExclusionRefusedException($"the proposal '{proposal.Name}' does not read back as the request's exact path, method and point: write the exclusion by hand");
            }
        }
    }

    // Names are lower-case letters, digits, '-' and '_' (PolicyNames): the event id's first such characters.
    private static string Stem(string eventId)
    {
        var chars = eventId.ToLowerInvariant().Where(c => char.IsAsciiLetterOrDigit(c)).Take(12).ToArray();
        return chars.Length == 0 ? "event" : new string(chars);
    }
}
