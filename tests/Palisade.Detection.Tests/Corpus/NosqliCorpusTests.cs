using System.Globalization;
using Palisade.Detection.Corpus;
using Palisade.Detection.Detectors.Nosqli;
using Palisade.Detection.Engine;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// Runs the engine with the NoSQL injection detector alone over the labelled corpus (<c>attacks/nosqli.jsonl</c> and
/// every <c>benign/*.jsonl</c>) and fails when detection regresses: the true-positive rate, the false-positive
/// rate, and a pinned list of records that must keep their verdict.
/// </summary>
public class NosqliCorpusTests
{
    /// <summary>Just under what the detector reaches today (97.2% measured). It leaves <c>{"&amp;exists":false}</c>, an operator misspelt with <c>&amp;</c> that MongoDB does not read.</summary>
    private const double MinimumTruePositiveRate = 0.96;

    /// <summary>No false positive on the benign corpus: a new one must be looked at, not absorbed by a looser bound.</summary>
    private const double MaximumFalsePositiveRate = 0.0;

    private static readonly Lazy<CorpusEvaluation> Evaluation = new(() => CorpusFiles.Evaluate(new InspectionEngine([new NosqliDetector()]), "nosqli"));

    private static readonly string[] PinnedAttacks = ["patt-nosqli-1", "patt-nosqli-22", "patt-nosqli-46", "patt-nosqli-78", "patt-nosqli-98", "patt-nosqli-106", "patt-nosqli-114", "patt-nosqli-142"];

    [Fact]
    public void Evaluate_NosqliAttacks_TruePositiveRateAtLeastFloor()
    {
        var tally = Evaluation.Value.Attacks["nosqli"].Own;

        Assert.True(tally.Rate >= MinimumTruePositiveRate,
            $"nosqli TPR {Percent(tally.Rate)} ({tally.Flagged}/{tally.Total}) is below the floor {Percent(MinimumTruePositiveRate)}");
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
