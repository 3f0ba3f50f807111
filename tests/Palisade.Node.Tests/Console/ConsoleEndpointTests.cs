using System.Net;
using Palisade.Node.Admin;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Console;

/// <summary>The console's files over HTTP: where they are served, with which headers, and what the token still guards.</summary>
public sealed class ConsoleEndpointTests
{
    private const string Token = "0123456789abcdef-console";

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/console/console.js", "text/javascript")]
    [InlineData("/console/console.css", "text/css")]
    [InlineData("/console/favicon.svg", "image/svg+xml")]
    public async Task ConsoleFile_TokenConfiguredAndNotGiven_ServedWithSecurityHeaders(string path, string contentType)
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { AdminToken = Token });
        using var management = new HttpClient { BaseAddress = node.Node.ManagementAddress };

        using var response = await management.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length > 0);
        Assert.Equal(ConsoleEndpoints.ContentSecurityPolicy, Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Theory]
    [InlineData("/api/events")]
    [InlineData("/api/config")]
    [InlineData("/console/other.js")]
    [InlineData("/index.html")]
    public async Task OtherPath_TokenConfiguredAndNotGiven_Returns401(string path)
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { AdminToken = Token });
        using var management = new HttpClient { BaseAddress = node.Node.ManagementAddress };

        using var response = await management.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Console_AdminListener_NotServed()
    {
        await using var node = await NodeUnderTest.StartAsync();

        using var response = await node.Admin.GetAsync(new Uri("/console/console.js", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Page_Served_HasNoInlineScriptAndLoadsOnlyItsOwnFiles()
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var management = new HttpClient { BaseAddress = node.Node.ManagementAddress };

        var html = await management.GetStringAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("<script type=\"module\" src=\"/console/console.js\"></script>", html, StringComparison.Ordinal);
        Assert.Equal(1, html.Split("<script", StringSplitOptions.None).Length - 1);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html);
    }
}
