using System.Globalization;
using Palisade.Detection.Corpus;
using Palisade.Detection.Detectors;
using Palisade.Detection.Engine;
using Palisade.Detection.Findings;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// Runs the engine with one detector alone over the labelled corpus (the attack file of the detector's
/// <see cref="IDetector.AttackType"/> and every <c>benign/*.jsonl</c>) and fails when detection regresses: the
/// true-positive rate, the false-positive rate, and pinned records that must keep their verdict. The corpus sits
/// beside the repository (<c>../shared/corpus</c>) or where <c>PALISADE_CORPUS</c> points. A detector's corpus
/// test derives from it with its own floor and pins, and adds its per-source floors.
/// </summary>
/// <typeparam name="TDetector">The detector run alone.</typeparam>
/// <param name="minimumTruePositiveRate">The floor of the category's true-positive rate, just under what the detector measures.</param>
/// <param name="pinnedAttacks">Attacks that must stay caught.</param>
/// <param name="pinnedBenign">Benign requests that must keep passing.</param>
/// <param name="maximumFalsePositiveRate">
/// The bound of the benign false-positive rate. None by default: a new false positive must be looked at, not
/// absorbed by a looser bound.
/// </param>
public abstract class DetectorCorpusTests<TDetector>(
    double minimumTruePositiveRate,
    string[] pinnedAttacks,
    string[]? pinnedBenign = null,
    double maximumFalsePositiveRate = 0.0)
    where TDetector : IDetector, new()
{
    private static readonly string Category = new TDetector().AttackType.ToName();

    private static readonly Lazy<CorpusEvaluation> Evaluation = new(() => CorpusFiles.Evaluate(new InspectionEngine([new TDetector()]), Category));

    private readonly string[] _pinnedBenign = pinnedBenign ?? [];

    [Fact]
    public void Evaluate_Attacks_TruePositiveRateAtLeastFloor()
    {
        var tally = Evaluation.Value.Attacks[Category].Own;

        Assert.True(tally.Rate >= minimumTruePositiveRate,
            $"{Category} TPR {Percent(tally.Rate)} ({tally.Flagged}/{tally.Total}) is below the floor {Percent(minimumTruePositiveRate)}");
    }

    [Fact]
    public void Evaluate_BenignRequests_FalsePositiveRateWithinBudget()
    {
        var evaluation = Evaluation.Value;
        var flagged = string.Join(", ", evaluation.FalsePositives.Take(20).Select(fp => fp.Record.Id));

        Assert.True(evaluation.Benign.Rate <= maximumFalsePositiveRate,
            $"benign FPR {Percent(evaluation.Benign.Rate)} ({evaluation.Benign.Flagged}/{evaluation.Benign.Total}) exceeds {Percent(maximumFalsePositiveRate)}: {flagged}");
    }

    [Fact]
    public void Evaluate_PinnedAttacks_AreAllCaught()
    {
        var missed = Evaluation.Value.Misses.Select(m => m.Record.Id).ToHashSet(StringComparer.Ordinal);
        var flipped = pinnedAttacks.Where(missed.Contains).ToList();

        Assert.True(flipped.Count == 0, $"pinned attacks no longer caught: {string.Join(", ", flipped)}");
    }

    [Fact]
    public void Evaluate_PinnedBenign_AllPass()
    {
        var flagged = Evaluation.Value.FalsePositives.Select(fp => fp.Record.Id).ToHashSet(StringComparer.Ordinal);
        var flipped = _pinnedBenign.Where(flagged.Contains).ToList();

        Assert.True(flipped.Count == 0, $"pinned benign requests now flagged: {string.Join(", ", flipped)}");
    }

    [Fact]
    public void Evaluate_PinnedIds_ExistInTheCorpus()
    {
        // A pin that matches no record would pass silently; make a renamed or removed record visible.
        var evaluation = Evaluation.Value;
        var known = evaluation.Attacks[Category].Own.Total + evaluation.Benign.Total;
        var ids = CorpusFiles.AllIds;

        Assert.True(known > 0);
        Assert.NotEmpty(pinnedAttacks);
        var unknown = pinnedAttacks.Concat(_pinnedBenign).Where(id => !ids.Contains(id)).ToList();
        Assert.True(unknown.Count == 0, $"pinned ids not in the corpus: {string.Join(", ", unknown)}");
    }

    /// <summary>The attacks of the category that come from <paramref name="source"/> (a corpus source repository) reach <paramref name="floor"/>.</summary>
    protected static void AssertSourceFloor(string source, double floor)
    {
        var tally = Evaluation.Value.Attacks[Category].BySource[source];

        Assert.True(tally.Rate >= floor, $"{source}: TPR {Percent(tally.Rate)} ({tally.Flagged}/{tally.Total}) is below {Percent(floor)}");
    }

    private static string Percent(double rate) => (rate * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
