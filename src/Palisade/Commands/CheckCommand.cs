using System.CommandLine;
using Palisade.Checking;
using Palisade.Detection.Corpus;
using Palisade.Detection.Engine;
using Palisade.Detection.Snapshots;
using Palisade.Detection.Verdicts;

namespace Palisade.Commands;

/// <summary><c>palisade check</c>: run the engine on one request, or on every request of a corpus file.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var method = new Option<string>("--method", "-X") { Description = "Request method.", DefaultValueFactory = _ => "GET" };
        var url = new Option<string?>("--url", "-u") { Description = "Request-target (/path?query) or absolute http(s) URL." };
        var headers = new Option<string[]>("--header", "-H")
        {
            Description = "A header as 'Name: value'; repeat for more.",
            AllowMultipleArgumentsPerToken = false,
            DefaultValueFactory = _ => [],
        };
        var body = new Option<string?>("--body", "-d") { Description = "Request body text." };
        var bodyFile = new Option<FileInfo?>("--body-file") { Description = "Read the request body from this file." };
        var file = new Option<FileInfo?>("--file", "-f") { Description = "Check every request of a JSON Lines file in the corpus format." };
        var mode = new Option<string>("--mode") { Description = "Mode the action is shown for: off, monitoring, safe_blocking, block.", DefaultValueFactory = _ => "block" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per request." };
        var points = new Option<bool>("--points") { Description = "Also list every value inspected, by point (text output)." };

        var command = new Command("check", "Run the detection engine on one request and explain the verdict. Exit code 1 when an attack is found.")
        {
            method, url, headers, body, bodyFile, file, mode, json, points,
        };

        command.SetAction(parse =>
        {
            if (!EnforcementModeNames.TryParse(parse.GetValue(mode), out var enforcement))
            {
                return Fail($"--mode must be one of {string.Join(", ", EnforcementModeNames.All)}");
            }

            var engine = InspectionEngine.CreateDefault();
            var requests = new List<(string Label, RequestSnapshot Request)>();
            try
            {
                if (parse.GetValue(file) is { } corpus)
                {
                    var lineNumber = 0;
                    foreach (var line in File.ReadLines(corpus.FullName))
                    {
                        lineNumber++;
                        if (line.Length == 0)
                        {
                            continue;
                        }

                        var record = CorpusRecord.Parse(line);
                        requests.Add(($"{record.Id} ({record.Category})", record.ToSnapshot()));
                    }
                }
                else if (parse.GetValue(url) is { } target)
                {
                    var text = parse.GetValue(bodyFile) is { } bf ? File.ReadAllText(bf.FullName) : parse.GetValue(body);
                    requests.Add(($"{parse.GetValue(method)} {target}", CheckRequestBuilder.Build(parse.GetValue(method)!, target, parse.GetValue(headers)!, text)));
                }
                else
                {
                    return Fail("give a request with --url (and --method, --header, --body) or a corpus file with --file");
                }
            }
            catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
            {
                return Fail(e.Message);
            }

            var anyAttack = false;
            using var stdout = Console.OpenStandardOutput();
            foreach (var (label, request) in requests)
            {
                var listing = parse.GetValue(points) && !parse.GetValue(json) ? new PointListing() : null;
                var result = engine.Inspect(request, listing);
                anyAttack |= result.IsAttack;
                var action = VerdictPolicy.Decide(result.IsAttack, enforcement.Value, sourceGraylisted: false);
                if (parse.GetValue(json))
                {
                    CheckReport.WriteJson(stdout, label, result, action);
                }
                else
                {
                    CheckReport.WriteText(Console.Out, label, result, action);
                    listing?.Write(Console.Out);
                }
            }

            return anyAttack ? ExitCodes.Findings : ExitCodes.Ok;
        });
        return command;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"palisade check: {message}");
        return ExitCodes.BadInput;
    }
}
