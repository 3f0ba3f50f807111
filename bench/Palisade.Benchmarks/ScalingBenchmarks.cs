using System.Text;
using BenchmarkDotNet.Attributes;
using Palisade.Detection.Engine;
using Palisade.Detection.Snapshots;

namespace Palisade.Benchmarks;

/// <summary>
/// Cost stays linear in the input: each adversarial input inspected at half size (the baseline) and at full
/// size, so the Ratio column is time(2n) / time(n) and should stay near 2 (the target is at most 2.2). The
/// inputs are what makes a backtracking or rescanning engine go quadratic: a megabyte of one special
/// character, percent signs that never form an escape, base64 nested inside base64, JSON nested deeper than
/// any budget.
/// </summary>
[MemoryDiagnoser]
public class ScalingBenchmarks
{
    private const int FullSize = 1024 * 1024;

    private readonly InspectionEngine _engine = InspectionEngine.CreateDefault();
    private RequestSnapshot _half = null!;
    private RequestSnapshot _full = null!;

    [Params("quotes", "angles", "percents", "nested-base64", "deep-json", "mixed-sql")]
    public string Input { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _half = Build(Input, FullSize / 2);
        _full = Build(Input, FullSize);
        var result = _engine.Inspect(_full);
        Console.WriteLine($"// {Input}: attack={result.IsAttack}, points={result.Points}, budget exceeded={result.BudgetExceeded}");
    }

    [Benchmark(Baseline = true)]
    public InspectionResult Half() => _engine.Inspect(_half);

    [Benchmark]
    public InspectionResult Full() => _engine.Inspect(_full);

    /// <summary>A request body of about <paramref name="size"/> bytes of the named adversarial input.</summary>
    public static RequestSnapshot Build(string input, int size) => input switch
    {
        "quotes" => Form(new string('\'', size)),
        "angles" => Form(new string('<', size)),
        "percents" => Form(new string('%', size)),
        "nested-base64" => Form(NestedBase64(size)),
        "deep-json" => Requests.PostAs("application/json", Encoding.ASCII.GetBytes(new string('[', size / 2) + new string(']', size / 2))),
        "mixed-sql" => Form(Repeat("' or 1=1-- <a onclick=", size)),
        _ => throw new ArgumentOutOfRangeException(nameof(input), input, "unknown input"),
    };

    private static RequestSnapshot Form(string value) =>
        Requests.PostAs("application/x-www-form-urlencoded", Encoding.ASCII.GetBytes("q=" + value));

    private static string Repeat(string unit, int size)
    {
        var text = new StringBuilder(size + unit.Length);
        while (text.Length < size)
        {
            text.Append(unit);
        }

        return text.ToString(0, size);
    }

    // base64(base64(...(payload)...)) until the text reaches the size: every layer decodes to text.
    private static string NestedBase64(int size)
    {
        var layers = new List<string> { Repeat("id=1' union select password from users-- ", 64) };
        while (layers[^1].Length * 4 / 3 < size)
        {
            layers.Add(Convert.ToBase64String(Encoding.ASCII.GetBytes(layers[^1])));
        }

        // Pad the outermost layer with whole copies of itself, separated by '&' as a form would.
        return Repeat(layers[^1] + "&q=", size);
    }
}
