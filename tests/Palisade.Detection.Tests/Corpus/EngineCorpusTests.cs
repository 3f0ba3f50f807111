using System.Globalization;
using System.Text;
using Palisade.Detection.Corpus;
using Palisade.Detection.Engine;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// The product's acceptance numbers: the default engine (every built-in detector, as the node runs it) over
/// the whole labelled corpus. No attack category may fall more than half a point below its recorded baseline
/// (<see cref="CorpusBaseline"/>), no benign dataset may rise more than half a point above it, the benign
/// files together stay at FPR ≤ 1% and recorded browser traffic at ≤ 0.5%. The table goes to the test output.
/// </summary>
public class EngineCorpusTests
{
    /// <summary>How far (as a rate) a category may move the wrong way before the build fails.</summary>
    private const double Tolerance = 0.005;

    private static readonly Lazy<CorpusEvaluation> Evaluation = new(() => CorpusFiles.Evaluate(InspectionEngine.CreateDefault(), CorpusFiles.AllCategories()));

    [Fact]
    public void DefaultEngine_Corpus_NoCategoryRegressesFromTheBaseline()
    {
        var evaluation = Evaluation.Value;
        TestContext.Current.TestOutputHelper?.WriteLine(Table(evaluation));
        if (Environment.GetEnvironmentVariable("PALISADE_UPDATE_BASELINE") == "1")
        {
            File.WriteAllText(CorpusBaseline.SourcePath, CorpusBaseline.Format(evaluation));
            return;
        }

        var baseline = CorpusBaseline.Read(Path.Combine(AppContext.BaseDirectory, "Corpus", CorpusBaseline.FileName));
        var problems = new List<string>();
        foreach (var (category, tally) in evaluation.Attacks)
        {
            if (!baseline.AttackRates.TryGetValue(category, out var recorded))
            {
                problems.Add($"attack category {category} has no baseline: record it");
            }
            else if (tally.Any.Rate < recorded - Tolerance)
            {
                problems.Add($"{category}: TPR {Percent(tally.Any.Rate)} fell below the baseline {Percent(recorded)}");
            }
        }

        foreach (var (dataset, tally) in evaluation.BenignByDataset)
        {
            if (!baseline.BenignRates.TryGetValue(dataset, out var recorded))
            {
                problems.Add($"benign dataset {dataset} has no baseline: record it");
            }
            else if (tally.Rate > recorded + Tolerance)
            {
                problems.Add($"{dataset}: FPR {Percent(tally.Rate)} rose above the baseline {Percent(recorded)}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\n\n" + Table(evaluation));
    }

    [Fact]
    public void DefaultEngine_Benign_FalsePositiveRateAtMostOnePercent()
    {
        var benign = Evaluation.Value.Benign;
        Assert.True(benign.Rate <= 0.01, $"benign FPR {Percent(benign.Rate)} ({benign.Flagged}/{benign.Total}) is above 1%: {string.Join(", ", Evaluation.Value.FalsePositives.Take(20).Select(f => f.Record.Id))}");
    }

    [Fact]
    public void DefaultEngine_RecordedBrowserTraffic_FalsePositiveRateAtMostHalfAPercent()
    {
        var tally = Evaluation.Value.BenignByDataset["real_traffic"];
        Assert.True(tally.Rate <= 0.005, $"real_traffic FPR {Percent(tally.Rate)} ({tally.Flagged}/{tally.Total}) is above 0.5%");
    }

    private static string Table(CorpusEvaluation evaluation)
    {
        var table = new StringBuilder("| set | requests | flagged | rate |\n| --- | ---: | ---: | ---: |\n");
        foreach (var (category, tally) in evaluation.Attacks)
        {
            table.Append(CultureInfo.InvariantCulture, $"| attacks/{category} | {tally.Any.Total} | {tally.Any.Flagged} | TPR {Percent(tally.Any.Rate)} |\n");
        }

        foreach (var (dataset, tally) in evaluation.BenignByDataset)
        {
            table.Append(CultureInfo.InvariantCulture, $"| benign/{dataset} | {tally.Total} | {tally.Flagged} | FPR {Percent(tally.Rate)} |\n");
        }

        table.Append(CultureInfo.InvariantCulture, $"| benign (all) | {evaluation.Benign.Total} | {evaluation.Benign.Flagged} | FPR {Percent(evaluation.Benign.Rate)} |\n");
        return table.ToString();
    }

    private static string Percent(double rate) => (rate * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
