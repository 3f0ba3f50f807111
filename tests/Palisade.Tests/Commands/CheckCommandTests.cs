using System.Text.Json;
using Palisade.Tests.Infrastructure;

namespace Palisade.Tests.Commands;

public sealed class CheckCommandTests
{
    [Fact]
    public async Task Check_Attack_Exits1AndExplainsFinding()
    {
        var (code, output, _) = await PalisadeProcess.RunAsync(["check", "-u", "/search?q=%27%20UNION%20SELECT%20password%20FROM%20users--"]);
        Assert.Equal(1, code);
        Assert.Contains("attack (action: block", output, StringComparison.Ordinal);
        Assert.Contains("query.q", output, StringComparison.Ordinal);
        Assert.Contains("sqli", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_CleanRequestWithBody_Exits0()
    {
        var (code, output, _) = await PalisadeProcess.RunAsync(["check", "-X", "POST", "-u", "https://shop.example/api/orders?ref=mail", "-H", "Content-Type: application/json", "-d", """{"name":"O'Brien","note":"leave at the door"}"""]);
        Assert.Equal(0, code);
        Assert.Contains("clean", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_Json_PrintsMachineReadableVerdict()
    {
        var (code, output, _) = await PalisadeProcess.RunAsync(["check", "--json", "--mode", "monitoring", "-u", "/p?x=%3Csvg%20onload%3Dalert(1)%3E"]);
        Assert.Equal(1, code);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal("attack", json.GetProperty("verdict").GetString());
        Assert.Equal("monitor", json.GetProperty("action").GetString());
        Assert.Equal("xss", json.GetProperty("findings")[0].GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("no-slash")]
    [InlineData("ftp://x/y")]
    public async Task Check_BadUrl_Exits2(string url)
    {
        var (code, _, error) = await PalisadeProcess.RunAsync(["check", "-u", url]);
        Assert.Equal(2, code);
        Assert.Contains("--url", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_CorpusFile_ChecksEveryLine()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllLinesAsync(file,
        [
            """{"id":"a1","label":"attack","category":"xss","request":{"method":"GET","path":"/","query":"q=%3Cscript%3Ealert(1)%3C/script%3E","headers":{},"body":""}}""",
            """{"id":"b1","label":"benign","category":"benign","request":{"method":"GET","path":"/","query":"q=hello","headers":{},"body":""}}""",
        ]);
        var (code, output, _) = await PalisadeProcess.RunAsync(["check", "--file", file]);
        Assert.Equal(1, code);
        Assert.Contains("a1 (xss): attack", output, StringComparison.Ordinal);
        Assert.Contains("b1 (benign): clean", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_BrokenCorpusFile_Exits2()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "{not json\n");
        var (code, _, error) = await PalisadeProcess.RunAsync(["check", "--file", file]);
        Assert.Equal(2, code);
        Assert.Contains("not a corpus record", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_Points_ListsEveryInspectedValueByPoint()
    {
        var (code, output, _) = await PalisadeProcess.RunAsync(["check", "--points", "-X", "POST", "-u", "/api/orders?ref=mail", "-H", "Content-Type: text/plain", "-d", """{"user":{"name":"Maria"}}"""]);

        Assert.Equal(0, code);
        Assert.Contains("inspected 5 value(s):", output, StringComparison.Ordinal);
        Assert.Matches(@"body\.json\.user\.name\s+json, 5 chars", output);
        Assert.Matches(@"body\.raw\s+body, 25 chars", output);
        Assert.Matches(@"query\.ref\s+query, 4 chars", output);
    }
}
