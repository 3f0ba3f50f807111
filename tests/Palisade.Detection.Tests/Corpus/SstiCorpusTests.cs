using System.Globalization;
using Palisade.Detection.Corpus;
using Palisade.Detection.Detectors.Ssti;
using Palisade.Detection.Engine;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// Runs the engine with the template injection detector alone over the labelled corpus (<c>attacks/ssti.jsonl</c> and
/// every <c>benign/*.jsonl</c>) and fails when detection regresses: the true-positive rate, the false-positive
/// rate, and a pinned list of records that must keep their verdict.
/// </summary>
public class SstiCorpusTests
{
    /// <summary>Just under what the detector measures alone today; see docs/detectors/ssti.md for what it leaves.</summary>
    private const double MinimumTruePositiveRate = 0.83;

    /// <summary>No false positive on the benign corpus: a new one must be looked at, not absorbed by a looser bound.</summary>
    private const double MaximumFalsePositiveRate = 0.0;

    private static readonly Lazy<CorpusEvaluation> Evaluation = new(() => CorpusFiles.Evaluate(new InspectionEngine([new SstiDetector()]), "ssti"));

    private static readonly string[] PinnedAttacks = [
        "patt-ssti-1", "patt-ssti-85", "patt-ssti-153", "patt-ssti-217", "patt-ssti-219", "patt-ssti-221", "patt-ssti-225", "patt-ssti-275", "patt-ssti-317", "patt-ssti-385", "patt-ssti-387", "patt-ssti-391", "patt-ssti-408", "patt-ssti-423", "patt-ssti-443", "patt-ssti-464", "patt-ssti-481", "patt-ssti-503", "patt-ssti-505", "patt-ssti-507",
    ];

    private static readonly string[] PinnedBenign = [
        "flask-text_fp-300", "flask-text_fp-304", "flask-text_fp-314", "jinja-text_fp-298", "jinja-text_fp-325", "jinja-text_fp-345", "jinja-text_fp-361", "openappsec-real_traffic-75", "openappsec-real_traffic-159", "openappsec-real_traffic-484", "openappsec-real_traffic-1249",
    ];

    [Fact]
    public void Evaluate_Attacks_TruePositiveRateAtLeastFloor()
    {
        var tally = Evaluation.Value.Attacks["ssti"].Own;

        Assert.True(tally.Rate >= MinimumTruePositiveRate,
            $"ssti TPR {Percent(tally.Rate)} ({tally.Flagged}/{tally.Total}) is below the floor {Percent(MinimumTruePositiveRate)}");
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
        var evaluation = Evaluation.Value;
        Assert.True(evaluation.Attacks["ssti"].Own.Total + evaluation.Benign.Total > 0);
        var ids = CorpusFiles.AllIds;
        var unknown = PinnedAttacks.Concat(PinnedBenign).Where(id => !ids.Contains(id)).ToList();

        Assert.True(unknown.Count == 0, $"pinned ids not in the corpus: {string.Join(", ", unknown)}");
    }

    private static string Percent(double rate) => (rate * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
