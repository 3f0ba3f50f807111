using System.Globalization;
using Palisade.Detection.Corpus;
using Palisade.Detection.Detectors.CodeInjection;
using Palisade.Detection.Engine;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// Runs the engine with the code injection detector alone over the labelled corpus (<c>attacks/code_injection.jsonl</c> and
/// every <c>benign/*.jsonl</c>) and fails when detection regresses: the true-positive rate, the false-positive
/// rate, and a pinned list of records that must keep their verdict.
/// </summary>
public class CodeInjectionCorpusTests
{
    /// <summary>Just under what the detector measures alone today; see docs/detectors/code_injection.md for what it leaves.</summary>
    private const double MinimumTruePositiveRate = 0.62;

    /// <summary>No false positive on the benign corpus: a new one must be looked at, not absorbed by a looser bound.</summary>
    private const double MaximumFalsePositiveRate = 0.0;

    private static readonly Lazy<CorpusEvaluation> Evaluation = new(() => CorpusFiles.Evaluate(new InspectionEngine([new CodeInjectionDetector()]), "code_injection"));

    private static readonly string[] PinnedAttacks = [
        "crs-code_injection-1", "crs-code_injection-53", "crs-code_injection-170", "crs-code_injection-301", "crs-code_injection-315", "crs-code_injection-331", "crs-code_injection-347", "crs-code_injection-349", "crs-code_injection-353", "crs-code_injection-357", "crs-code_injection-371", "crs-code_injection-385", "crs-code_injection-401", "crs-code_injection-402", "crs-code_injection-403", "crs-code_injection-412", "crs-code_injection-421", "crs-code_injection-440", "crs-code_injection-447", "crs-code_injection-450", "crs-code_injection-575", "crs-code_injection-740", "crs-code_injection-692", "crs-code_injection-699", "crs-code_injection-706",
    ];

    private static readonly string[] PinnedBenign = [
        "flask-text_fp-72", "flask-text_fp-289", "book-text_fp-238", "flask-text_fp-365", "flask-text_fp-382", "book-text_fp-321", "openappsec-real_traffic-460", "openappsec-real_traffic-3120", "openappsec-real_traffic-482", "jinja-text_fp-325",
    ];

    [Fact]
    public void Evaluate_Attacks_TruePositiveRateAtLeastFloor()
    {
        var tally = Evaluation.Value.Attacks["code_injection"].Own;

        Assert.True(tally.Rate >= MinimumTruePositiveRate,
            $"code_injection TPR {Percent(tally.Rate)} ({tally.Flagged}/{tally.Total}) is below the floor {Percent(MinimumTruePositiveRate)}");
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
        Assert.True(evaluation.Attacks["code_injection"].Own.Total + evaluation.Benign.Total > 0);
        var ids = CorpusFiles.AllIds;
        var unknown = PinnedAttacks.Concat(PinnedBenign).Where(id => !ids.Contains(id)).ToList();

        Assert.True(unknown.Count == 0, $"pinned ids not in the corpus: {string.Join(", ", unknown)}");
    }

    private static string Percent(double rate) => (rate * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
