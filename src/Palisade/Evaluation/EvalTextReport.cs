using System.Globalization;
using Palisade.Detection.Corpus;

namespace Palisade.Evaluation;

/// <summary>The human-readable table of <c>palisade eval</c>.</summary>
internal static class EvalTextReport
{
    public static void Write(TextWriter output, CorpusEvaluation evaluation, int showMisses, int showFalsePositives)
    {
        if (evaluation.Attacks.Count > 0)
        {
            output.WriteLine($"{"attacks",-28}{"total",8}{"flagged",9}{"TPR",9}{"own TPR",9}");
            foreach (var (category, tally) in evaluation.Attacks)
            {
                output.WriteLine($"  {category,-26}{tally.Any.Total,8}{tally.Any.Flagged,9}{Percent(tally.Any.Rate),9}{Percent(tally.Own.Rate),9}");
                output.WriteLine($"    by location: {Breakdown(tally.ByLocation)}");
                output.WriteLine($"    by source:   {Breakdown(tally.BySource)}");
            }
        }

        if (evaluation.Benign.Total > 0)
        {
            output.WriteLine();
            output.WriteLine($"{"benign",-28}{"total",8}{"flagged",9}{"FPR",9}");
            output.WriteLine($"  {"all",-26}{evaluation.Benign.Total,8}{evaluation.Benign.Flagged,9}{Percent(evaluation.Benign.Rate),9}");
            foreach (var (dataset, tally) in evaluation.BenignByDataset)
            {
                output.WriteLine($"  {dataset,-26}{tally.Total,8}{tally.Flagged,9}{Percent(tally.Rate),9}");
            }

            output.WriteLine($"    by subcategory: {Breakdown(evaluation.BenignBySubcategory)}");
            if (evaluation.FalsePositivesByDetector.Count > 0)
            {
                output.WriteLine($"    by detector:    {string.Join(", ", evaluation.FalsePositivesByDetector.Select(kv => $"{kv.Key} {kv.Value}"))}");
            }
        }

        foreach (var miss in evaluation.Misses.Take(showMisses))
        {
            output.WriteLine($"MISS {miss.Record.Id} [{miss.Record.Location}] {Short(miss.Record.Payload ?? miss.Record.RawTarget + " " + miss.Record.Body)}");
        }

        foreach (var fp in evaluation.FalsePositives.Take(showFalsePositives))
        {
            foreach (var f in fp.Result.Findings)
            {
                output.WriteLine($"FP   {fp.Record.Id} {f.Point} [{f.DetectorId}] {f.Reason}: {f.Evidence}");
            }
        }
    }

    private static string Breakdown(IReadOnlyDictionary<string, CorpusTally> tallies) =>
        string.Join(" | ", tallies.Select(kv => $"{kv.Key} {kv.Value.Flagged}/{kv.Value.Total}"));

    private static string Percent(double rate) => (rate * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static string Short(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= 160 ? oneLine : oneLine[..160] + "…";
    }
}
