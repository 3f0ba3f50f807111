using System.Net;
using System.Text;
using System.Text.Json;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Admin;

/// <summary>From a false positive in the attack log to an exclusion in force, through the management API of a real node.</summary>
public sealed class ExclusionEndpointTests
{
    private const string Comment = """{"comment":"<script>alert(1)</script> is how you write a script tag"}""";

    [Fact]
    public async Task FromEvent_ProposeThenConfirm_WritesTheFileAndTheSameRequestPasses()
    {
        using var directory = new TempDirectory();
        await using var node = await StartAsync(directory);
        using var management = new HttpClient { BaseAddress = node.Node.ManagementAddress };
        Assert.Equal(HttpStatusCode.Forbidden, await PostCommentAsync(node));
        var id = await WaitForEventIdAsync(management);

        using var proposal = await PostAsync(management, $"/api/exclusions/from-event/{id}", null);
        using var proposed = JsonDocument.Parse(await proposal.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, proposal.StatusCode);
        Assert.False(proposed.RootElement.GetProperty("applied").GetBoolean());
        var exclusion = Assert.Single(proposed.RootElement.GetProperty("exclusions").EnumerateArray());
        Assert.Equal("body.json.comment", exclusion.GetProperty("point").GetString());
        Assert.Equal("/blog/comments", exclusion.GetProperty("path").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, await PostCommentAsync(node));

        using var confirmation = await PostAsync(management, $"/api/exclusions/from-event/{id}", """{"confirm":true}""");
        using var confirmed = JsonDocument.Parse(await confirmation.Content.ReadAsStringAsync());
        Assert.True(confirmed.RootElement.GetProperty("applied").GetBoolean());
        Assert.True(confirmed.RootElement.GetProperty("written").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, await PostCommentAsync(node));
        Assert.Contains("point: 'body.json.comment'", await File.ReadAllTextAsync(node.ConfigFile!), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, await PostCommentAsync(node, "/shop/reviews"));
        using var xssElsewhere = await node.Client.PostAsync(new Uri("/blog/comments", UriKind.Relative), new StringContent("""{"title":"<script>alert(1)</script>"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, xssElsewhere.StatusCode);
    }

    [Fact]
    public async Task FromEvent_FileNotWritable_IsHeldInMemoryAndSurvivesAReload()
    {
        using var directory = new TempDirectory();
        await using var node = await StartAsync(directory);
        using var management = new HttpClient { BaseAddress = node.Node.ManagementAddress };
        Assert.Equal(HttpStatusCode.Forbidden, await PostCommentAsync(node));
        var id = await WaitForEventIdAsync(management);
        // The file becomes what a Kubernetes ConfigMap mount shows: a link through ..data into a timestamped directory.
        var version = Directory.CreateDirectory(directory.File("..2026_11_28_13_00_00.000000001")).FullName;
        File.Copy(node.ConfigFile!, Path.Combine(version, "palisade.yaml"));
        Directory.CreateSymbolicLink(directory.File("..data"), Path.GetFileName(version));
        File.Delete(node.ConfigFile!);
        File.CreateSymbolicLink(node.ConfigFile!, "..data/palisade.yaml");

        using var confirmation = await PostAsync(management, $"/api/exclusions/from-event/{id}", """{"confirm":true}""");
        using var confirmed = JsonDocument.Parse(await confirmation.Content.ReadAsStringAsync());

        Assert.False(confirmed.RootElement.GetProperty("written").GetBoolean());
        Assert.Contains("ConfigMap", confirmed.RootElement.GetProperty("not_written_because").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await PostCommentAsync(node));
        Assert.True(await node.Node.ReloadAsync());
        Assert.Equal(HttpStatusCode.OK, await PostCommentAsync(node));
        using var config = JsonDocument.Parse(await management.GetStringAsync(new Uri("/api/config", UriKind.Relative)));
        Assert.Equal(1, config.RootElement.GetProperty("policy").GetProperty("runtime_exclusions").GetInt32());
        Assert.Equal("..data/palisade.yaml", new FileInfo(node.ConfigFile!).LinkTarget);
        Assert.DoesNotContain("fp-", await File.ReadAllTextAsync(node.ConfigFile!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromEvent_ConfirmsAtOnce_AllAreWritten()
    {
        using var directory = new TempDirectory();
        await using var node = await StartAsync(directory);
        using var management = new HttpClient { BaseAddress = node.Node.ManagementAddress };
        const int Count = 6;
        for (var i = 0; i < Count; i++)
        {
            Assert.Equal(HttpStatusCode.Forbidden, await PostCommentAsync(node, $"/blog/post-{i}"));
        }

        var ids = await WaitForEventIdsAsync(management, Count);

        var confirmations = await Task.WhenAll(ids.Select(async id =>
        {
            using var response = await PostAsync(management, $"/api/exclusions/from-event/{id}", """{"confirm":true}""");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return body.RootElement.GetProperty("written").GetBoolean();
        }));

        Assert.All(confirmations, Assert.True);
        var options = Palisade.Node.Configuration.NodeOptionsLoader.Load(new Palisade.Node.Configuration.NodeConfigurationSources { ConfigFile = node.ConfigFile! });
        Assert.Equal(Count, options.Exclusions.Count);
        for (var i = 0; i < Count; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await PostCommentAsync(node, $"/blog/post-{i}"));
        }
    }

    [Fact]
    public async Task FromEvent_PathWithAStar_CoversThatPathAndNoOther()
    {
        using var directory = new TempDirectory();
        await using var node = await StartAsync(directory);
        using var management = new HttpClient { BaseAddress = node.Node.ManagementAddress };
        Assert.Equal(HttpStatusCode.Forbidden, await PostCommentAsync(node, "/blog/a*b"));
        var id = await WaitForEventIdAsync(management);

        using var confirmation = await PostAsync(management, $"/api/exclusions/from-event/{id}", """{"confirm":true}""");
        using var confirmed = JsonDocument.Parse(await confirmation.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, confirmation.StatusCode);
        Assert.True(confirmed.RootElement.GetProperty("written").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, await PostCommentAsync(node, "/blog/a*b"));
        Assert.Equal(HttpStatusCode.Forbidden, await PostCommentAsync(node, "/blog/axb"));
        Assert.Equal(HttpStatusCode.Forbidden, await PostCommentAsync(node));
    }

    [Fact]
    public async Task FromEvent_PathNoExactPatternSpells_Is409AndNothingIsApplied()
    {
        using var directory = new TempDirectory();
        await using var node = await StartAsync(directory);
        using var management = new HttpClient { BaseAddress = node.Node.ManagementAddress };
        const string Path = "/blog/%2525252541";
        Assert.Equal(HttpStatusCode.Forbidden, await PostCommentAsync(node, Path));
        var id = await WaitForEventIdAsync(management);
        var before = await File.ReadAllTextAsync(node.ConfigFile!);

        using var confirmation = await PostAsync(management, $"/api/exclusions/from-event/{id}", """{"confirm":true}""");
        using var refused = JsonDocument.Parse(await confirmation.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Conflict, confirmation.StatusCode);
        Assert.Contains("path", refused.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(node.ConfigFile!));
        Assert.Equal(HttpStatusCode.Forbidden, await PostCommentAsync(node, Path));
        Assert.Equal(HttpStatusCode.Forbidden, await PostCommentAsync(node));
    }

    [Theory]
    [InlineData("text/plain", "{}", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json", "{not json", HttpStatusCode.BadRequest)]
    public async Task FromEvent_BadBody_IsRefused(string contentType, string body, HttpStatusCode expected)
    {
        using var directory = new TempDirectory();
        await using var node = await StartAsync(directory);
        using var management = new HttpClient { BaseAddress = node.Node.ManagementAddress };
        Assert.Equal(HttpStatusCode.Forbidden, await PostCommentAsync(node));
        var id = await WaitForEventIdAsync(management);

        using var response = await management.PostAsync(new Uri($"/api/exclusions/from-event/{id}", UriKind.Relative), new StringContent(body, Encoding.UTF8, contentType));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, await PostCommentAsync(node));
    }

    [Fact]
    public async Task FromEvent_UnknownEvent_Is404()
    {
        using var directory = new TempDirectory();
        await using var node = await StartAsync(directory);
        using var management = new HttpClient { BaseAddress = node.Node.ManagementAddress };

        using var response = await PostAsync(management, "/api/exclusions/from-event/424242", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Config_ShowsTheModeRoutesAndPolicyInForce()
    {
        using var directory = new TempDirectory();
        await using var node = await StartAsync(directory);
        using var management = new HttpClient { BaseAddress = node.Node.ManagementAddress };

        using var config = JsonDocument.Parse(await management.GetStringAsync(new Uri("/api/config", UriKind.Relative)));

        Assert.Equal("block", config.RootElement.GetProperty("mode").GetString());
        Assert.Equal(["blog", "default"], config.RootElement.GetProperty("routes").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.Equal(node.ConfigFile, config.RootElement.GetProperty("config_file").GetString());
        Assert.Equal("1MiB", config.RootElement.GetProperty("options").GetProperty("inspection-limit").GetString());
    }

    private static Task<NodeUnderTest> StartAsync(TempDirectory directory) => NodeUnderTest.StartFromFileAsync($"""
        # the team's policy
        mode: block
        attack-log: {directory.File("attacks.db")}
        routes:
          - name: blog
            path: /blog
        """, directory: directory.Path);

    private static async Task<HttpStatusCode> PostCommentAsync(NodeUnderTest node, string path = "/blog/comments")
    {
        using var response = await node.Client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(Comment, Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string? json) =>
        client.PostAsync(new Uri(path, UriKind.Relative), json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"));

    private static async Task<long> WaitForEventIdAsync(HttpClient management) => (await WaitForEventIdsAsync(management, 1))[0];

    private static async Task<long[]> WaitForEventIdsAsync(HttpClient management, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var list = JsonDocument.Parse(await management.GetStringAsync(new Uri("/api/events?type=xss", UriKind.Relative)));
            var events = list.RootElement.GetProperty("events");
            if (events.GetArrayLength() >= count)
            {
                return events.EnumerateArray().Take(count).Select(e => e.GetProperty("id").GetInt64()).ToArray();
            }

            Assert.True(DateTime.UtcNow < deadline, "the attack was not stored within 10 s");
            await Task.Delay(50);
        }
    }
}
