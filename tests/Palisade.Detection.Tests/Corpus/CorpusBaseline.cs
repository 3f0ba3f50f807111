using System.Globalization;
using System.Text;
using Palisade.Detection.Corpus;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// The recorded detection numbers of the default engine (<c>corpus-baseline.tsv</c> beside this file): one line
/// per attack category (true-positive rate) and per benign dataset (false-positive rate). The corpus test
/// compares a fresh evaluation with it; <c>PALISADE_UPDATE_BASELINE=1</c> records the fresh numbers instead.
/// </summary>
internal sealed record CorpusBaseline(IReadOnlyDictionary<string, double> AttackRates, IReadOnlyDictionary<string, double> BenignRates)
{
    public const string FileName = "corpus-baseline.tsv";

    public static string SourcePath => Path.Combine(CorpusFiles.RepositoryRoot, "tests", "Palisade.Detection.Tests", "Corpus", FileName);

    public static CorpusBaseline Read(string path)
    {
        var attacks = new Dictionary<string, double>(StringComparer.Ordinal);
        var benign = new Dictionary<string, double>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split('\t');
            if (parts.Length < 5 || !double.TryParse(parts[4], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
            {
                throw new FormatException($"{path}:{lineNumber}: expected 'attack|benign<TAB>name<TAB>total<TAB>flagged<TAB>percent'");
            }

            var target = parts[0] switch
            {
                "attack" => attacks,
                "benign" => benign,
                _ => throw new FormatException($"{path}:{lineNumber}: kind must be 'attack' or 'benign'"),
            };
            target[parts[1]] = percent / 100;
        }

        return new CorpusBaseline(attacks, benign);
    }

    /// <summary>The baseline file's text for an evaluation: rates in percent with two decimals.</summary>
    public static string Format(CorpusEvaluation evaluation)
    {
        var text = new StringBuilder();
        text.Append("# Default engine over ../shared/corpus: TPR per attack category, FPR per benign dataset.\n");
        text.Append("# Recorded with PALISADE_UPDATE_BASELINE=1 dotnet test tests/Palisade.Detection.Tests --filter FullyQualifiedName~EngineCorpusTests\n");
        text.Append("# kind\tname\ttotal\tflagged\tpercent\n");
        foreach (var (category, tally) in evaluation.Attacks)
        {
            Line(text, "attack", category, tally.Any);
        }

        foreach (var (dataset, tally) in evaluation.BenignByDataset)
        {
            Line(text, "benign", dataset, tally);
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, string kind, string name, CorpusTally tally) =>
        text.Append(CultureInfo.InvariantCulture, $"{kind}\t{name}\t{tally.Total}\t{tally.Flagged}\t{tally.Rate * 100:0.00}\n");
}
