using System.Globalization;
using Palisade.Detection.Corpus;
using Palisade.Detection.Detectors.Crlf;
using Palisade.Detection.Engine;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// Runs the engine with the CRLF injection detector alone over the labelled corpus (<c>attacks/crlf.jsonl</c> and
/// every <c>benign/*.jsonl</c>) and fails when detection regresses: the true-positive rate, the false-positive
/// rate, and a pinned list of records that must keep their verdict.
/// </summary>
public class CrlfCorpusTests
{
    /// <summary>Just under what the detector reaches today (96.2% measured). It leaves CRS tests whose break sits in a form body (text, where line breaks are normal), an XML attribute with character references, and a request line (<c>GET http://... HTTP/1.2</c>) without a break.</summary>
    private const double MinimumTruePositiveRate = 0.95;

    /// <summary>No false positive on the benign corpus: a new one must be looked at, not absorbed by a looser bound.</summary>
    private const double MaximumFalsePositiveRate = 0.0;

    private static readonly Lazy<CorpusEvaluation> Evaluation = new(() => CorpusFiles.Evaluate(new InspectionEngine([new CrlfDetector()]), "crlf"));

    private static readonly string[] PinnedAttacks = ["patt-crlf-1", "patt-crlf-2", "patt-crlf-30", "patt-crlf-66", "patt-crlf-78", "gen-crlf-5", "gen-crlf-23", "crs-crlf-1", "crs-crlf-12", "crs-crlf-13", "crs-crlf-23"];

    [Fact]
    public void Evaluate_CrlfAttacks_TruePositiveRateAtLeastFloor()
    {
        var tally = Evaluation.Value.Attacks["crlf"].Own;

        Assert.True(tally.Rate >= MinimumTruePositiveRate,
            $"crlf TPR {Percent(tally.Rate)} ({tally.Flagged}/{tally.Total}) is below the floor {Percent(MinimumTruePositiveRate)}");
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
