using System.Text.Json;
using Palisade.Tests.Infrastructure;

namespace Palisade.Tests.Commands;

public sealed class EvalCommandTests
{
    private static readonly string[] Lines =
    [
        """{"id":"s1","label":"attack","category":"sqli","location":"query:id","source":"t","request":{"method":"GET","path":"/","query":"id=1%27%20OR%20%271%27%3D%271","headers":{},"body":""}}""",
        """{"id":"s2","label":"attack","category":"sqli","location":"query:id","source":"t","request":{"method":"GET","path":"/","query":"id=42","headers":{},"body":""}}""",
        """{"id":"x1","label":"attack","category":"xss","location":"query:q","source":"t","request":{"method":"GET","path":"/","query":"q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E","headers":{},"body":""}}""",
        """{"id":"b1","label":"benign","category":"benign","subcategory":"names","request":{"method":"GET","path":"/","query":"name=O%27Brien","headers":{},"body":""}}""",
    ];

    [Fact]
    public async Task Eval_SmallCorpus_ReportsRatesPerCategory()
    {
        var file = await WriteAsync();
        var (code, output, _) = await PalisadeProcess.RunAsync(["eval", file, "--json"]);
        Assert.Equal(0, code);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(0.5, json.GetProperty("attacks").GetProperty("sqli").GetProperty("tpr").GetDouble());
        Assert.Equal(1.0, json.GetProperty("attacks").GetProperty("xss").GetProperty("tpr").GetDouble());
        Assert.Equal(0.0, json.GetProperty("benign").GetProperty("fpr").GetDouble());
        Assert.Equal("s2", json.GetProperty("misses")[0].GetString());
    }

    [Fact]
    public async Task Eval_TprBelowThreshold_Exits1AndSaysWhich()
    {
        var file = await WriteAsync();
        var (code, output, error) = await PalisadeProcess.RunAsync(["eval", file, "--min-tpr", "0.9", "--max-fpr", "0.01", "--show-misses", "5"]);
        Assert.Equal(1, code);
        Assert.Contains("sqli TPR 50.00% is below --min-tpr 90.00%", error, StringComparison.Ordinal);
        Assert.Contains("MISS s2", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_MissingFile_Exits2()
    {
        var (code, _, error) = await PalisadeProcess.RunAsync(["eval", "/nonexistent/corpus.jsonl"]);
        Assert.Equal(2, code);
        Assert.Contains("corpus.jsonl", error, StringComparison.Ordinal);
    }

    private static async Task<string> WriteAsync()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("palisade-eval-").FullName, "mini.jsonl");
        await File.WriteAllLinesAsync(file, Lines);
        return file;
    }
}
