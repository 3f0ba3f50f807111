using Palisade.Detection.Detectors.PathTraversal;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// Runs the engine with the Path traversal detector alone over the labelled corpus (<c>attacks/path_traversal.jsonl</c> and every
/// <c>benign/*.jsonl</c>) and fails when detection regresses: the true-positive rate overall and per source, the
/// false-positive rate, and a pinned list of records that must keep their verdict.
/// </summary>
public class PathTraversalCorpusTests() : DetectorCorpusTests<PathTraversalDetector>(MinimumTruePositiveRate, PinnedAttacks, PinnedBenign)
{
    /// <summary>
    /// Measured 96.0%. What it leaves: CRS tests that are plain URLs (<c>x=http://foo.bar</c>, remote inclusion only by the parameter's role), lone scheme words (<c>x=http?</c>), shell commands and backups that name no path (<c>backup.sql.zip</c>), and list entries that use <c>?</c> as a wildcard separator.
    /// </summary>
    private const double MinimumTruePositiveRate = 0.955;

    // Attacks that must stay caught: every encoding of dot segments, sensitive files, hidden files in the path, wrappers, remote inclusion.
    private static readonly string[] PinnedAttacks =
    [
        "crs-path_traversal-19", "crs-path_traversal-30", "crs-path_traversal-50", "crs-path_traversal-93",
        "crs-path_traversal-6", "crs-path_traversal-1", "patt-path_traversal-963", "patt-path_traversal-137",
        "patt-path_traversal-619", "patt-path_traversal-448", "patt-path_traversal-479", "patt-path_traversal-871",
        "patt-path_traversal-246", "patt-path_traversal-464", "patt-path_traversal-73", "patt-path_traversal-766",
        "patt-path_traversal-417", "patt-path_traversal-1", "patt-path_traversal-2",
    ];

    // Benign values with dots and slashes: relative documentation links, repository paths, "..." in code, JSON escapes, hidden-looking tokens in paths, URLs ending in '?', drive-like "p:/" pairs.
    private static readonly string[] PinnedBenign =
    [
        "polly-text_fp-148", "polly-text_fp-190", "libinjection-libinjection_fp-764", "openappsec-real_traffic-1273",
        "openappsec-real_traffic-1857", "openappsec-real_traffic-956", "openappsec-real_traffic-1489",
        "jinja-text_fp-293", "book-text_fp-303", "gen-structured-1",
    ];

    [Theory]
    [InlineData("swisskyrepo/PayloadsAllTheThings", 0.975)]
    [InlineData("coreruleset/coreruleset", 0.70)]
    public void Evaluate_PathTraversalAttacksBySource_TruePositiveRateAtLeastFloor(string source, double floor) => AssertSourceFloor(source, floor);
}
