using System.Text.Json;
using Palisade.Detection.Corpus;

namespace Palisade.Evaluation;

/// <summary>The machine-readable report of <c>palisade eval --json</c>.</summary>
internal static class EvalJsonReport
{
    public static void Write(Stream output, CorpusEvaluation evaluation)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartObject("attacks");
        foreach (var (category, tally) in evaluation.Attacks)
        {
            json.WriteStartObject(category);
            WriteTally(json, tally.Any, "tpr");
            json.WriteNumber("own_flagged", tally.Own.Flagged);
            json.WriteNumber("own_tpr", tally.Own.Rate);
            WriteBreakdown(json, "by_location", tally.ByLocation, "tpr");
            WriteBreakdown(json, "by_source", tally.BySource, "tpr");
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteStartObject("benign");
        WriteTally(json, evaluation.Benign, "fpr");
        WriteBreakdown(json, "by_dataset", evaluation.BenignByDataset, "fpr");
        WriteBreakdown(json, "by_subcategory", evaluation.BenignBySubcategory, "fpr");
        json.WriteStartObject("false_positives_by_detector");
        foreach (var (detector, count) in evaluation.FalsePositivesByDetector)
        {
            json.WriteNumber(detector, count);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartArray("misses");
        foreach (var miss in evaluation.Misses)
        {
            json.WriteStringValue(miss.Record.Id);
        }

        json.WriteEndArray();
        json.WriteStartArray("false_positives");
        foreach (var fp in evaluation.FalsePositives)
        {
            json.WriteStringValue(fp.Record.Id);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }

    private static void WriteTally(Utf8JsonWriter json, CorpusTally tally, string rateName)
    {
        json.WriteNumber("total", tally.Total);
        json.WriteNumber("flagged", tally.Flagged);
        json.WriteNumber(rateName, tally.Rate);
    }

    private static void WriteBreakdown(Utf8JsonWriter json, string name, IReadOnlyDictionary<string, CorpusTally> tallies, string rateName)
    {
        json.WriteStartObject(name);
        foreach (var (key, tally) in tallies)
        {
            json.WriteStartObject(key);
            WriteTally(json, tally, rateName);
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }
}
