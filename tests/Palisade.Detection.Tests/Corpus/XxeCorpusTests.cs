using System.Globalization;
using Palisade.Detection.Corpus;
using Palisade.Detection.Detectors.Xxe;
using Palisade.Detection.Engine;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// Runs the engine with the XXE detector alone over the labelled corpus (<c>attacks/xxe.jsonl</c> and
/// every <c>benign/*.jsonl</c>) and fails when detection regresses: the true-positive rate, the false-positive
/// rate, and a pinned list of records that must keep their verdict.
/// </summary>
public class XxeCorpusTests
{
    /// <summary>Just under what the detector reaches today (100% measured). Every request of the category is caught.</summary>
    private const double MinimumTruePositiveRate = 0.99;

    /// <summary>No false positive on the benign corpus: a new one must be looked at, not absorbed by a looser bound.</summary>
    private const double MaximumFalsePositiveRate = 0.0;

    private static readonly Lazy<CorpusEvaluation> Evaluation = new(() => CorpusFiles.Evaluate(new InspectionEngine([new XxeDetector()]), "xxe"));

    private static readonly string[] PinnedAttacks = ["patt-xxe-1", "patt-xxe-2", "patt-xxe-73", "patt-xxe-100", "patt-xxe-150", "patt-xxe-200", "patt-xxe-227"];

    [Fact]
    public void Evaluate_XxeAttacks_TruePositiveRateAtLeastFloor()
    {
        var tally = Evaluation.Value.Attacks["xxe"].Own;

        Assert.True(tally.Rate >= MinimumTruePositiveRate,
            $"xxe TPR {Percent(tally.Rate)} ({tally.Flagged}/{tally.Total}) is below the floor {Percent(MinimumTruePositiveRate)}");
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
    public void Evaluate_PinnedIds_ExistInTheCorpus()
    {
        var unknown = PinnedAttacks.Where(id => !CorpusFiles.AllIds.Contains(id)).ToList();

        Assert.True(unknown.Count == 0, $"pinned ids not in the corpus: {string.Join(", ", unknown)}");
    }

    private static string Percent(double rate) => (rate * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
