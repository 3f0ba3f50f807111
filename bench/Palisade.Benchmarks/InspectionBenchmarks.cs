using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Palisade.Detection.Engine;
using Palisade.Detection.Snapshots;

namespace Palisade.Benchmarks;

/// <summary>
/// <c>InspectionEngine.CreateDefault().Inspect(snapshot)</c> on four requests, each next to a baseline that
/// reads as a yardstick: building the snapshot (what the node does per request before inspecting it) for the
/// GETs, and parsing the same body with <see cref="JsonDocument"/> for the JSON POSTs. The Ratio column then
/// says how many times the baseline's cost the inspection is.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class InspectionBenchmarks
{
    private const string CleanGetCategory = "a: clean GET, 14 headers + cookie";
    private const string CleanPostCategory = "b: clean 1 KiB JSON POST";
    private const string SqliGetCategory = "c: GET with SQLi in the query";
    private const string XssPostCategory = "d: JSON POST with XSS";
    private const string LargePostCategory = "e: clean 64 KiB JSON POST";

    private readonly InspectionEngine _engine = InspectionEngine.CreateDefault();
    private readonly RequestSnapshot _cleanGet = Requests.CleanGet();
    private readonly RequestSnapshot _cleanPost = Requests.CleanJsonPost();
    private readonly RequestSnapshot _sqliGet = Requests.SqliGet();
    private readonly RequestSnapshot _xssPost = Requests.XssJsonPost();
    private readonly RequestSnapshot _largePost = Requests.LargeJsonPost();

    [GlobalSetup]
    public void ReportVerdicts()
    {
        // Printed into the benchmark log: what the engine makes of each request with the detectors it has.
        Console.WriteLine($"// engine: {_engine.Detectors.Count} detector(s): {string.Join(", ", _engine.Detectors.Select(d => d.Id))}");
        foreach (var (name, snapshot) in new[] { ("clean GET", _cleanGet), ("clean POST", _cleanPost), ("SQLi GET", _sqliGet), ("XSS POST", _xssPost), ("64 KiB POST", _largePost) })
        {
            var result = _engine.Inspect(snapshot);
            Console.WriteLine($"// {name}: attack={result.IsAttack}, points={result.Points}, findings={string.Join(", ", result.Findings.Select(f => f.DetectorId + "@" + f.Point))}");
        }
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(CleanGetCategory)]
    public RequestSnapshot CleanGet_BuildSnapshot() => Requests.CleanGet();

    [Benchmark]
    [BenchmarkCategory(CleanGetCategory)]
    public InspectionResult CleanGet_Inspect() => _engine.Inspect(_cleanGet);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(CleanPostCategory)]
    public int CleanJsonPost_JsonDocumentParse() => ParseWithJsonDocument(Requests.CleanJsonBody);

    [Benchmark]
    [BenchmarkCategory(CleanPostCategory)]
    public InspectionResult CleanJsonPost_Inspect() => _engine.Inspect(_cleanPost);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(SqliGetCategory)]
    public RequestSnapshot SqliGet_BuildSnapshot() => Requests.SqliGet();

    [Benchmark]
    [BenchmarkCategory(SqliGetCategory)]
    public InspectionResult SqliGet_Inspect() => _engine.Inspect(_sqliGet);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(XssPostCategory)]
    public int XssJsonPost_JsonDocumentParse() => ParseWithJsonDocument(Requests.XssJsonBody);

    [Benchmark]
    [BenchmarkCategory(XssPostCategory)]
    public InspectionResult XssJsonPost_Inspect() => _engine.Inspect(_xssPost);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(LargePostCategory)]
    public int LargeJsonPost_JsonDocumentParse() => ParseWithJsonDocument(Requests.LargeJsonBody);

    [Benchmark]
    [BenchmarkCategory(LargePostCategory)]
    public InspectionResult LargeJsonPost_Inspect() => _engine.Inspect(_largePost);

    // Parses and walks the whole document, reading every string, as an application's model binding would.
    private static int ParseWithJsonDocument(byte[] body)
    {
        using var document = JsonDocument.Parse(body);
        return CountStrings(document.RootElement);
    }

    private static int CountStrings(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var inObject = 0;
                foreach (var property in element.EnumerateObject())
                {
                    inObject += CountStrings(property.Value);
                }

                return inObject;
            case JsonValueKind.Array:
                var inArray = 0;
                foreach (var item in element.EnumerateArray())
                {
                    inArray += CountStrings(item);
                }

                return inArray;
            case JsonValueKind.String:
                return element.GetString()!.Length > 0 ? 1 : 0;
            default:
                return 0;
        }
    }
}
