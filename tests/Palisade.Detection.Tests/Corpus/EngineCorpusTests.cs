using System.Globalization;
using Palisade.Detection.Corpus;
using Palisade.Detection.Engine;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// The product's acceptance numbers: the default engine (every built-in detector, as the node runs it) over
/// the SQLi and XSS attack files and every benign file. Targets: TPR ≥ 90% per category, FPR ≤ 1% on benign.
/// </summary>
public class EngineCorpusTests
{
    private static readonly Lazy<CorpusEvaluation> Evaluation = new(() => CorpusFiles.Evaluate(InspectionEngine.CreateDefault(), "sqli", "xss"));

    [Theory]
    [InlineData("sqli")]
    [InlineData("xss")]
    public void DefaultEngine_AttackCategory_TruePositiveRateAtLeastNinetyPercent(string category)
    {
        var tally = Evaluation.Value.Attacks[category].Any;
        Assert.True(tally.Rate >= 0.90, $"{category} TPR {Percent(tally.Rate)} ({tally.Flagged}/{tally.Total}) is below 90%");
    }

    [Fact]
    public void DefaultEngine_Benign_FalsePositiveRateAtMostOnePercent()
    {
        var benign = Evaluation.Value.Benign;
        Assert.True(benign.Rate <= 0.01, $"benign FPR {Percent(benign.Rate)} ({benign.Flagged}/{benign.Total}) is above 1%: {string.Join(", ", Evaluation.Value.FalsePositives.Take(20).Select(f => f.Record.Id))}");
    }

    [Theory]
    [InlineData("real_traffic", 0.0)]
    [InlineData("structured", 0.0)]
    [InlineData("libinjection_fp", 0.005)]
    [InlineData("text_fp", 0.005)]
    public void DefaultEngine_BenignDataset_FalsePositiveRateWithinItsBound(string dataset, double bound)
    {
        var tally = Evaluation.Value.BenignByDataset[dataset];
        Assert.True(tally.Rate <= bound, $"{dataset} FPR {Percent(tally.Rate)} ({tally.Flagged}/{tally.Total}) is above {Percent(bound)}");
    }

    private static string Percent(double rate) => (rate * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
