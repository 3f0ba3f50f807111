using System.Globalization;
using System.Text;
using Palisade.Detection.Engine;
using Palisade.Detection.Parsing;
using Palisade.Detection.Points;
using Palisade.Detection.Snapshots;
using Palisade.Detection.Tests.Corpus;

namespace Palisade.Detection.Tests.Parsing;

/// <summary>
/// The parsers' case files: each <c>Parsing/cases/*.http</c> is a raw request (request line, header fields, a blank
/// line, the body), and the <c>.points</c> file beside it lists every value the engine hands to its detectors for
/// it, in order: point, value (control characters escaped) and where it came from. The walker fails when a listing is
/// stale; <c>PALISADE_UPDATE_GOLDEN=1 dotnet test tests/Palisade.Detection.Tests --filter ParsingCaseFileTests</c>
/// rewrites the listings, to be read in review like any other change.
/// </summary>
public class ParsingCaseFileTests
{
    private static string CaseFolder => Path.Combine(CorpusFiles.RepositoryRoot, "tests", "Palisade.Detection.Tests", "Parsing", "cases");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(CaseFolder, "*.http").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Inspect_CaseFile_VisitsTheListedPoints(string name)
    {
        var request = ParseRequest(File.ReadAllText(Path.Combine(CaseFolder, name + ".http")));
        var recorder = new Recorder();
        new InspectionEngine([]).Inspect(request, recorder);
        var current = string.Join('\n', recorder.Lines) + "\n";

        var golden = Path.Combine(CaseFolder, name + ".points");
        if (Environment.GetEnvironmentVariable("PALISADE_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, current);
        }

        var expected = File.Exists(golden) ? File.ReadAllText(golden).ReplaceLineEndings("\n") : "(missing)";
        Assert.True(expected == current, $"Parsing/cases/{name}.points is stale: run PALISADE_UPDATE_GOLDEN=1 dotnet test tests/Palisade.Detection.Tests --filter ParsingCaseFileTests\n--- expected\n{expected}--- current\n{current}");
    }

    [Fact]
    public void Cases_EveryRequestHasItsListing()
    {
        var requests = Directory.GetFiles(CaseFolder, "*.http").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        var listings = Directory.GetFiles(CaseFolder, "*.points").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        Assert.Equal(requests, listings);
        Assert.True(requests.Count() >= 10);
    }

    // request-line, header lines, a blank line, the body (the file's last line break is not part of it).
    private static RequestSnapshot ParseRequest(string text)
    {
        text = text.ReplaceLineEndings("\n");
        var blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        var head = (blank < 0 ? text : text[..blank]).Split('\n');
        var body = blank < 0 ? "" : text[(blank + 2)..];
        body = body.EndsWith('\n') ? body[..^1] : body;
        var requestLine = head[0].Split(' ');
        var headers = head.Skip(1).Where(l => l.Length > 0)
            .Select(l => new HttpHeader(l[..l.IndexOf(':', StringComparison.Ordinal)], l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()))
            .ToList();
        return new RequestSnapshot(requestLine[0], requestLine[1], headers) { Body = Encoding.UTF8.GetBytes(body) };
    }

    /// <summary>Lists every value the engine inspects: point, value, origin.</summary>
    private sealed class Recorder : IInspectionObserver
    {
        public List<string> Lines { get; } = [];

        public void Inspected(Point point, ReadOnlySpan<char> value, in ValueOrigin origin) =>
            Lines.Add(string.Create(CultureInfo.InvariantCulture, $"{point}\t{Escape(value)}\t{origin.Source}{(origin.IsName ? " name" : "")}{(origin.IsFileName ? " filename" : "")}{(origin.IsFileContent ? " file" : "")}{(origin.Header is { } header ? " " + header : "")}"));

        private static string Escape(ReadOnlySpan<char> value)
        {
            var text = new StringBuilder(value.Length);
            foreach (var c in value)
            {
                text.Append(c switch
                {
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    '\\' => "\\\\",
                    _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                    _ => c.ToString(),
                });
            }

            return text.ToString();
        }
    }
}
