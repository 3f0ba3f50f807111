using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Palisade.Detection.Engine;
using Palisade.Detection.Snapshots;
using Palisade.Node.FrontDoor;

namespace Palisade.Benchmarks;

/// <summary>
/// The front door's check of a request's bytes (head lines, framing, body pass-through) next to the engine's
/// inspection of the same request as the baseline: the Ratio column is the front door's cost as a fraction of
/// inspecting the request.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class FrontDoorBenchmarks
{
    private const string GetCategory = "a: clean GET, 14 headers + cookie";
    private const string PostCategory = "b: clean 1 KiB JSON POST";

    private static readonly FrontDoorLimits Limits = new();

    private readonly InspectionEngine _engine = InspectionEngine.CreateDefault();
    private readonly RequestSnapshot _getSnapshot = Requests.CleanGet();
    private readonly RequestSnapshot _postSnapshot = Requests.CleanJsonPost();
    private readonly ReadOnlySequence<byte> _getBytes = Raw("GET", Requests.CleanGetTarget, Requests.BrowserHeaders, []);
    private readonly ReadOnlySequence<byte> _postBytes = Raw("POST", Requests.OrdersTarget, Requests.ApiHeaders, Requests.CleanJsonBody);

    [GlobalSetup]
    public void Check()
    {
        // Both requests must pass the front door whole, or the numbers below measure a refusal.
        foreach (var bytes in new[] { _getBytes, _postBytes })
        {
            var validator = new Http1StreamValidator(Limits, static () => false);
            var released = validator.Advance(bytes);
            if (released != bytes.Length || validator.Violation is not null)
            {
                throw new InvalidOperationException($"the front door released {released} of {bytes.Length} bytes: {validator.Violation}");
            }
        }
    }

    [Benchmark(Baseline = true, Description = "inspect")]
    [BenchmarkCategory(GetCategory)]
    public bool InspectGet() => _engine.Inspect(_getSnapshot).IsAttack;

    [Benchmark(Description = "front door")]
    [BenchmarkCategory(GetCategory)]
    public long FrontDoorGet() => new Http1StreamValidator(Limits, static () => false).Advance(_getBytes);

    [Benchmark(Baseline = true, Description = "inspect")]
    [BenchmarkCategory(PostCategory)]
    public bool InspectPost() => _engine.Inspect(_postSnapshot).IsAttack;

    [Benchmark(Description = "front door")]
    [BenchmarkCategory(PostCategory)]
    public long FrontDoorPost() => new Http1StreamValidator(Limits, static () => false).Advance(_postBytes);

    private static ReadOnlySequence<byte> Raw(string method, string target, IEnumerable<HttpHeader> headers, byte[] body)
    {
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\n");
        foreach (var header in headers.Where(h => h.Name != "Content-Length"))
        {
            head.Append(header.Name).Append(": ").Append(header.Value).Append("\r\n");
        }

        if (body.Length > 0)
        {
            head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        }

        return new ReadOnlySequence<byte>([.. Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()), .. body]);
    }
}
