using System.CommandLine;
using System.Globalization;
using Palisade.Detection.Corpus;
using Palisade.Detection.Engine;
using Palisade.Evaluation;

namespace Palisade.Commands;

/// <summary>
/// <c>palisade eval FILE...</c>: true-positive rate per attack category and false-positive rate on benign
/// requests over corpus files, with thresholds that fail the command.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "Corpus files (JSON Lines).", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON." };
        var minTpr = new Option<double?>("--min-tpr") { Description = "Fail (exit 1) when any attack category's TPR is below this (0-1)." };
        var maxFpr = new Option<double?>("--max-fpr") { Description = "Fail (exit 1) when the benign FPR is above this (0-1)." };
        var showMisses = new Option<int>("--show-misses") { Description = "List this many missed attacks.", DefaultValueFactory = _ => 0 };
        var showFps = new Option<int>("--show-fps") { Description = "List this many false positives with their findings.", DefaultValueFactory = _ => 0 };

        var command = new Command("eval", "Measure detection over labelled corpus files: TPR per attack category, FPR on benign requests.")
        {
            files, json, minTpr, maxFpr, showMisses, showFps,
        };

        command.SetAction(parse =>
        {
            var engine = InspectionEngine.CreateDefault();
            var evaluation = new CorpusEvaluation();
            foreach (var file in parse.GetValue(files)!)
            {
                var dataset = Path.GetFileNameWithoutExtension(file.Name);
                var lineNumber = 0;
                try
                {
                    foreach (var line in File.ReadLines(file.FullName))
                    {
                        lineNumber++;
                        if (line.Length == 0)
                        {
                            continue;
                        }

                        var record = CorpusRecord.Parse(line);
                        evaluation.Add(dataset, record, engine.Inspect(record.ToSnapshot()));
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"palisade eval: {file.FullName}: {e.Message}");
                    return ExitCodes.BadInput;
                }
                catch (FormatException e)
                {
                    Console.Error.WriteLine($"palisade eval: {file.FullName}:{lineNumber}: {e.Message}");
                    return ExitCodes.BadInput;
                }
            }

            if (parse.GetValue(json))
            {
                using var stdout = Console.OpenStandardOutput();
                EvalJsonReport.Write(stdout, evaluation);
            }
            else
            {
                EvalTextReport.Write(Console.Out, evaluation, parse.GetValue(showMisses), parse.GetValue(showFps));
            }

            var failed = false;
            if (parse.GetValue(minTpr) is { } min)
            {
                foreach (var (category, tally) in evaluation.Attacks.Where(a => a.Value.Any.Rate < min))
                {
                    Console.Error.WriteLine($"palisade eval: {category} TPR {Format(tally.Any.Rate)} is below --min-tpr {Format(min)}");
                    failed = true;
                }
            }

            if (parse.GetValue(maxFpr) is { } max && evaluation.Benign.Rate > max)
            {
                Console.Error.WriteLine($"palisade eval: benign FPR {Format(evaluation.Benign.Rate)} is above --max-fpr {Format(max)}");
                failed = true;
            }

            return failed ? ExitCodes.Findings : ExitCodes.Ok;
        });
        return command;
    }

    private static string Format(double rate) => (rate * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
}
