using System.Net;
using System.Text;
using System.Text.Json;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Admin;

/// <summary>The attack log through the management API of a real node: list, filters, cursor, explain, stats.</summary>
public sealed class EventEndpointTests : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private NodeUnderTest _node = null!;
    private HttpClient _management = null!;

    public async ValueTask InitializeAsync()
    {
        _node = await NodeUnderTest.StartFromFileAsync($"""
            mode: block
            attack-log: {Path.Combine(_directory.Path, "attacks.db")}
            routes:
              - name: search
                path: /search
            """);
        _management = new HttpClient { BaseAddress = _node.Node.ManagementAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _management.Dispose();
        await _node.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task Events_AfterAttacks_ListNewestFirstWithFiltersAndCursor()
    {
        var xss = await SendAsync("/search?q=%3Cscript%3Ealert(1)%3C/script%3E");
        var sqli = await SendAsync("/items?id=1%27%20union%20select%20password%20from%20users--");
        await SendAsync("/clean?page=2");
        var all = await WaitForEventsAsync(2);

        Assert.Equal([sqli, xss], all.Select(e => e.GetProperty("request_id").GetString()));
        Assert.Equal("search", all[1].GetProperty("route").GetString());
        Assert.Equal("block", all[1].GetProperty("action").GetString());
        var onlyXss = await ListAsync("?type=xss");
        Assert.Equal([xss], onlyXss.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("request_id").GetString()));
        var page = await ListAsync("?limit=1");
        var next = page.GetProperty("next_before").GetInt64();
        var second = await ListAsync($"?limit=1&before={next}");
        Assert.Equal(xss, Assert.Single(second.GetProperty("events").EnumerateArray()).GetProperty("request_id").GetString());
        Assert.Empty((await ListAsync("?ip=192.0.2.1")).GetProperty("events").EnumerateArray());
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=5000", "limit")]
    [InlineData("?before=abc", "before")]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?colour=red", "colour")]
    public async Task Events_BadFilter_Is400NamingIt(string query, string field)
    {
        using var response = await _management.GetAsync(new Uri("/api/events" + query, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(field, error.RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Event_Explain_SplitsThePointIntoLocationAndDecoderChain()
    {
        var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes("<script>alert(document.cookie)</script>"));
        var requestId = await SendAsync("/search?data=" + Uri.EscapeDataString(payload));
        var listed = Assert.Single(await WaitForEventsAsync(1), e => e.GetProperty("request_id").GetString() == requestId);

        using var explained = JsonDocument.Parse(await _management.GetStringAsync(new Uri($"/api/events/{listed.GetProperty("id").GetInt64()}", UriKind.Relative)));

        var finding = explained.RootElement.GetProperty("findings").EnumerateArray().First(f => f.GetProperty("type").GetString() == "xss");
        Assert.Equal("query.data|base64", finding.GetProperty("point").GetString());
        Assert.Equal("query.data", finding.GetProperty("location").GetString());
        Assert.Equal(["base64"], finding.GetProperty("decoders").EnumerateArray().Select(d => d.GetString()));
        Assert.StartsWith("xss.", finding.GetProperty("detector").GetString(), StringComparison.Ordinal);
        Assert.Contains("route search in block mode: blocked", explained.RootElement.GetProperty("decision").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/events/999999")]
    [InlineData("/api/events/not-a-number")]
    public async Task Event_Unknown_Is404(string path)
    {
        using var response = await _management.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Stats_CountByTypeRouteAndAction()
    {
        await SendAsync("/search?q=%3Cscript%3Ealert(1)%3C/script%3E");
        await SendAsync("/other?q=%3Cscript%3Ealert(1)%3C/script%3E");
        await WaitForEventsAsync(2);

        using var stats = JsonDocument.Parse(await _management.GetStringAsync(new Uri("/api/stats", UriKind.Relative)));

        Assert.Equal(2, stats.RootElement.GetProperty("by_type").GetProperty("xss").GetInt32());
        Assert.Equal(1, stats.RootElement.GetProperty("by_route").GetProperty("search").GetInt32());
        Assert.Equal(1, stats.RootElement.GetProperty("by_route").GetProperty("default").GetInt32());
        Assert.Equal(2, stats.RootElement.GetProperty("by_action").GetProperty("block").GetInt32());
    }

    [Fact]
    public async Task Events_NotOnTheReadOnlyAdminListener()
    {
        using var response = await _node.Admin.GetAsync(new Uri("/api/events", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<string> SendAsync(string target)
    {
        using var response = await _node.Client.GetAsync(new Uri(target, UriKind.Relative));
        return Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id"));
    }

    private async Task<JsonElement> ListAsync(string query)
    {
        using var document = JsonDocument.Parse(await _management.GetStringAsync(new Uri("/api/events" + query, UriKind.Relative)));
        return document.RootElement.Clone();
    }

    // Events reach the log through a queue and a batch: wait until the expected number is stored.
    private async Task<List<JsonElement>> WaitForEventsAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var events = (await ListAsync("")).GetProperty("events").EnumerateArray().ToList();
            if (events.Count >= count)
            {
                return events;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{events.Count} of {count} events stored after 10 s");
            await Task.Delay(50);
        }
    }
}
