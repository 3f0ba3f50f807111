using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Palisade.Node.Admin;
using Palisade.Node.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Palisade.Node.Tests.Console;

/// <summary>
/// The web console in a real browser (headless chromium) against a real node with an attack log: the feed, the
/// explain view, the exclusion from it, secrets kept off the page, the security headers and the admin token.
/// </summary>
public sealed class ConsoleBrowserTests : IDisposable
{
    private const float Timeout = 15_000;
    private const string Xss = "<script>alert(1)</script>";
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Console_XssBlockedThenExcludedFromExplainView_SameRequestThenPasses()
    {
        await using var node = await StartNodeAsync();
        using (var blocked = await SendCommentAsync(node))
        {
            Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        }

        await using var browser = await ConsoleBrowser.LaunchAsync();
        var page = await browser.NewPageAsync();
        var dialogOpened = false;
        page.Dialog += (_, _) => dialogOpened = true;
        await page.GotoAsync(node.Node.ManagementAddress.ToString());

        var row = page.GetByTestId("event-row").Filter(new LocatorFilterOptions { HasText = "/blog/comments" });
        await Expect(row).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = Timeout });
        await Expect(row.GetByTestId("event-action")).ToHaveTextAsync("block");
        var id = await row.GetAttributeAsync("data-event-id");
        await row.ClickAsync();

        // The explain view shows what the API stored: the point path and the detector of each finding.
        var points = page.GetByTestId("finding-point");
        await Expect(points.First).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = Timeout });
        Assert.Contains("body.json.comment", await points.AllTextContentsAsync());
        var detectors = await page.GetByTestId("finding-detector").AllTextContentsAsync();
        Assert.Equal(await DetectorsAsync(node, id!), detectors);
        Assert.All(detectors, d => Assert.False(string.IsNullOrWhiteSpace(d)));
        await Expect(page.GetByTestId("explain-decision")).ToContainTextAsync("blocked");

        // The attack's markup is shown as text: no element was injected, no script ran.
        await Expect(page.GetByTestId("finding-evidence").First).ToHaveTextAsync(Xss);
        Assert.Equal(1, await page.Locator("script").CountAsync());
        Assert.False(dialogOpened);

        await page.GetByTestId("exclude-button").ClickAsync();
        await Expect(page.GetByTestId("exclusion-yaml")).ToContainTextAsync("body.json.comment", new LocatorAssertionsToContainTextOptions { Timeout = Timeout });
        using (var stillBlocked = await SendCommentAsync(node))
        {
            Assert.Equal(HttpStatusCode.Forbidden, stillBlocked.StatusCode);
        }

        await page.GetByTestId("exclude-confirm").ClickAsync();
        await Expect(page.GetByTestId("exclusion-result")).ToContainTextAsync("written to the configuration file", new LocatorAssertionsToContainTextOptions { Timeout = Timeout });

        var screenshot = Path.Combine(AppContext.BaseDirectory, "console-screenshots", "explain.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {screenshot}");

        using var passed = await SendCommentAsync(node);
        Assert.Equal(HttpStatusCode.OK, passed.StatusCode);
        Assert.Contains("body.json.comment", await File.ReadAllTextAsync(node.ConfigFile!, TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.True(browser.Errors.Count == 0, "the page reported errors:\n" + string.Join("\n", browser.Errors));
    }

    [Fact]
    public async Task Console_AttackWithPlantedSecrets_PageAndExplainViewNeverShowThem()
    {
        string[] secrets = ["s3cr3t-token-123", "hunter2-very-secret", "sess-abcdef-secret"];
        await using var node = await StartNodeAsync();
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/login?id=1'%20OR%20'1'='1")
        {
            Content = new StringContent("""{"username":"alice","password":"hunter2-very-secret' OR 1=1--"}""", Encoding.UTF8, "application/json"),
        })
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer s3cr3t-token-123");
            request.Headers.Add("Cookie", "session=sess-abcdef-secret' OR '1'='1");
            using var response = await node.Client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        await using var browser = await ConsoleBrowser.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(node.Node.ManagementAddress.ToString());
        var row = page.GetByTestId("event-row").Filter(new LocatorFilterOptions { HasText = "/login" });
        await Expect(row).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = Timeout });
        await row.ClickAsync();
        await Expect(page.GetByTestId("finding").First).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = Timeout });

        // The findings did render (the SQL injection in the password and in the cookie), masked.
        var explain = await page.GetByTestId("explain").InnerTextAsync();
        Assert.Contains("sqli", explain, StringComparison.Ordinal);
        Assert.Contains("body.json.password", await page.GetByTestId("finding-point").AllTextContentsAsync());
        var content = await page.ContentAsync();
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, content, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, explain, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Console_Opened_SendsCspAndSecurityHeadersAndLoadsWithoutErrors()
    {
        await using var node = await StartNodeAsync();
        using (var blocked = await SendCommentAsync(node))
        {
            Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        }

        await using var browser = await ConsoleBrowser.LaunchAsync();
        var page = await browser.NewPageAsync();
        var scripts = new List<IResponse>();
        page.Response += (_, response) =>
        {
            if (response.Url.EndsWith(".js", StringComparison.Ordinal))
            {
                scripts.Add(response);
            }
        };

        var answer = await page.GotoAsync(node.Node.ManagementAddress.ToString());

        Assert.NotNull(answer);
        Assert.Equal(200, answer.Status);
        var headers = await answer.AllHeadersAsync();
        Assert.Equal(ConsoleEndpoints.ContentSecurityPolicy, headers["content-security-policy"]);
        Assert.StartsWith("default-src 'self';", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("no-referrer", headers["referrer-policy"]);
        Assert.Equal("no-store", headers["cache-control"]);
        await Expect(page.GetByTestId("mode")).ToHaveTextAsync("mode: block", new LocatorAssertionsToHaveTextOptions { Timeout = Timeout });
        await Expect(page.GetByTestId("event-row")).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = Timeout });
        await Expect(page.GetByTestId("stats-type")).ToContainTextAsync("xss", new LocatorAssertionsToContainTextOptions { Timeout = Timeout });

        // A CSP violation or a failed request would be reported in the console: none, through a poll of the feed.
        await Task.Delay(TimeSpan.FromSeconds(2.5), TestContext.Current.CancellationToken);
        Assert.True(browser.Errors.Count == 0, "the page reported errors:\n" + string.Join("\n", browser.Errors));
        var script = Assert.Single(scripts);
        Assert.Equal("nosniff", await script.HeaderValueAsync("x-content-type-options"));
        Assert.StartsWith("text/javascript", await script.HeaderValueAsync("content-type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Console_AdminTokenConfigured_PageLoadsAndAsksForTokenThenShowsTheFeed()
    {
        await using var node = await StartNodeAsync(("admin-token", "console-admin-token"));
        using (var blocked = await SendCommentAsync(node))
        {
            Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        }

        await using var browser = await ConsoleBrowser.LaunchAsync();
        var page = await browser.NewPageAsync();
        var answer = await page.GotoAsync(node.Node.ManagementAddress.ToString());
        Assert.Equal(200, answer!.Status);
        await Expect(page.GetByTestId("token-form")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = Timeout });
        await Expect(page.GetByTestId("event-row")).ToHaveCountAsync(0);

        await page.GetByTestId("token-input").FillAsync("wrong-token");
        await page.GetByTestId("token-submit").ClickAsync();
        await Expect(page.GetByTestId("token-form")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = Timeout });
        await Expect(page.GetByTestId("event-row")).ToHaveCountAsync(0);

        await page.GetByTestId("token-input").FillAsync("console-admin-token");
        await page.GetByTestId("token-submit").ClickAsync();
        await Expect(page.GetByTestId("event-row")).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = Timeout });
        await Expect(page.GetByTestId("token-form")).ToBeHiddenAsync();
        await Expect(page.GetByTestId("mode")).ToHaveTextAsync("mode: block");
    }

    [Fact]
    public async Task Console_IpListEntryAddedThenDeleted_NodeEnforcesThenForgetsIt()
    {
        await using var node = await StartNodeAsync();
        await using var browser = await ConsoleBrowser.LaunchAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync(node.Node.ManagementAddress.ToString());

        await page.GetByTestId("ip-list").SelectOptionAsync("deny");
        await page.GetByTestId("ip-cidr").FillAsync("127.0.0.1");
        await page.GetByTestId("ip-reason").FillAsync("<b>scanner</b>");
        await page.GetByTestId("ip-ttl").FillAsync("1h");
        await page.GetByTestId("ip-add").ClickAsync();

        var row = page.GetByTestId("ip-row").Filter(new LocatorFilterOptions { HasText = "127.0.0.1/32" });
        await Expect(row).ToHaveCountAsync(1, new LocatorAssertionsToHaveCountOptions { Timeout = Timeout });
        await Expect(row).ToContainTextAsync("<b>scanner</b>");
        var entry = Assert.Single(node.Node.IpAccess.Entries);
        Assert.Equal("<b>scanner</b>", entry.Reason);
        Assert.NotNull(entry.Expires);
        using (var denied = await node.Client.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        await page.GetByTestId("ip-cidr").FillAsync("not-a-network");
        await page.GetByTestId("ip-add").ClickAsync();
        await Expect(page.GetByTestId("ip-error")).ToContainTextAsync("cidr", new LocatorAssertionsToContainTextOptions { Timeout = Timeout });

        await row.GetByTestId("ip-delete").ClickAsync();
        await Expect(page.GetByTestId("ip-row")).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = Timeout });
        Assert.Empty(node.Node.IpAccess.Entries);
        using var allowed = await node.Client.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    private async Task<NodeUnderTest> StartNodeAsync(params (string Name, string Value)[] flags) =>
        await NodeUnderTest.StartFromFileAsync("mode: block\n", directory: _directory.Path, flags: [("attack-log", _directory.File("attacks.db")), .. flags]);

    private static async Task<HttpResponseMessage> SendCommentAsync(NodeUnderTest node)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/blog/comments")
        {
            Content = new StringContent(JsonSerializer.Serialize(new Dictionary<string, string> { ["comment"] = Xss }), Encoding.UTF8, "application/json"),
        };
        return await node.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<List<string>> DetectorsAsync(NodeUnderTest node, string id)
    {
        using var management = new HttpClient { BaseAddress = node.Node.ManagementAddress };
        using var document = JsonDocument.Parse(await management.GetStringAsync(new Uri($"/api/events/{id}", UriKind.Relative), TestContext.Current.CancellationToken));
        return [.. document.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("detector").GetString()!)];
    }
}
