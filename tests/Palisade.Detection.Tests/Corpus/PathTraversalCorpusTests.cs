using System.Globalization;
using Palisade.Detection.Corpus;
using Palisade.Detection.Detectors.PathTraversal;
using Palisade.Detection.Engine;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// Runs the engine with the Path traversal detector alone over the labelled corpus (<c>attacks/path_traversal.jsonl</c> and every
/// <c>benign/*.jsonl</c>) and fails when detection regresses: the true-positive rate overall and per source, the
/// false-positive rate, and a pinned list of records that must keep their verdict.
/// </summary>
public class PathTraversalCorpusTests
{
    /// <summary>
    /// Measured 96.0%. What it leaves: CRS tests that are plain URLs (<c>x=http://foo.bar</c>, remote inclusion only by the parameter's role), lone scheme words (<c>x=http?</c>), shell commands and backups that name no path (<c>backup.sql.zip</c>), and list entries that use <c>?</c> as a wildcard separator.
    /// </summary>
    private const double MinimumTruePositiveRate = 0.955;

    /// <summary>
    /// No false positive on the benign corpus (7433 requests); a new one must be looked at, not absorbed by a looser bound.
    /// </summary>
    private const double MaximumFalsePositiveRate = 0.0;

    private static readonly Lazy<CorpusEvaluation> Evaluation = new(() => CorpusFiles.Evaluate(new InspectionEngine([new PathTraversalDetector()]), "path_traversal"));

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

    [Fact]
    public void Evaluate_PathTraversalAttacks_TruePositiveRateAtLeastFloor()
    {
        var tally = Evaluation.Value.Attacks["path_traversal"].Own;

        Assert.True(tally.Rate >= MinimumTruePositiveRate,
            $"Path traversal TPR {Percent(tally.Rate)} ({tally.Flagged}/{tally.Total}) is below the floor {Percent(MinimumTruePositiveRate)}");
    }

    [Theory]
    [InlineData("swisskyrepo/PayloadsAllTheThings", 0.975)]
    [InlineData("coreruleset/coreruleset", 0.70)]
    public void Evaluate_PathTraversalAttacksBySource_TruePositiveRateAtLeastFloor(string source, double floor)
    {
        var tally = Evaluation.Value.Attacks["path_traversal"].BySource[source];

        Assert.True(tally.Rate >= floor, $"{source}: TPR {Percent(tally.Rate)} ({tally.Flagged}/{tally.Total}) is below {Percent(floor)}");
    }

    [Fact]
    public void Evaluate_BenignRequests_FalsePositiveRateWithinBudget()
    {
        var evaluation = Evaluation.Value;
        var flagged = string.Join(", ", evaluation.FalsePositives.Take(20).Select(fp => fp.Record.Id));

        Assert.True(evaluation.Benign.Rate <= MaximumFalsePositiveRate,
            $"benign FPR {Percent(evaluation.Benign.Rate)} ({evaluation.Benign.Flagged}/{evaluation.Benign.Total}) exceeds {Percent(MaximumFalsePositiveRate)}: {flagged}");
    }

    [Fact]
    public void Evaluate_PinnedAttacks_AreAllCaught()
    {
        var missed = Evaluation.Value.Misses.Select(m => m.Record.Id).ToHashSet(StringComparer.Ordinal);
        var flipped = PinnedAttacks.Where(missed.Contains).ToList();

        Assert.True(flipped.Count == 0, $"pinned attacks no longer caught: {string.Join(", ", flipped)}");
    }

    [Fact]
    public void Evaluate_PinnedBenign_AllPass()
    {
        var flagged = Evaluation.Value.FalsePositives.Select(fp => fp.Record.Id).ToHashSet(StringComparer.Ordinal);
        var flipped = PinnedBenign.Where(flagged.Contains).ToList();

        Assert.True(flipped.Count == 0, $"pinned benign requests now flagged: {string.Join(", ", flipped)}");
    }

    [Fact]
    public void Evaluate_PinnedIds_ExistInTheCorpus()
    {
        // A pin that matches no record would pass silently; make a renamed or removed record visible.
        var evaluation = Evaluation.Value;
        var known = evaluation.Attacks["path_traversal"].Own.Total + evaluation.Benign.Total;
        var ids = CorpusFiles.AllIds;

        Assert.True(known > 0);
        var unknown = PinnedAttacks.Concat(PinnedBenign).Where(id => !ids.Contains(id)).ToList();
        Assert.True(unknown.Count == 0, $"pinned ids not in the corpus: {string.Join(", ", unknown)}");
    }

    private static string Percent(double rate) => (rate * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
