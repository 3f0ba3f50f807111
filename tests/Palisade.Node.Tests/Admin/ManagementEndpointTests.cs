using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Palisade.Node.Access;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Admin;

/// <summary>The management API on its own listener: IP list entries added, listed and removed at run time.</summary>
public sealed class ManagementEndpointTests
{
    private const string Token = "0123456789abcdef-management";
    private static readonly Uri IpLists = new("/api/ip-lists", UriKind.Relative);

    [Fact]
    public async Task Post_ValidEntry_Returns201AndNodeMatchesIt()
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var management = Management(node);

        using var response = await management.PostAsync(IpLists, Json("""{"list":"deny","cidr":"203.0.113.7/24","reason":"scanner farm","ttl":"1h"}"""), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var entry = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.Equal("deny", entry.GetProperty("list").GetString());
        Assert.Equal("203.0.113.0/24", entry.GetProperty("cidr").GetString());
        Assert.Equal("scanner farm", entry.GetProperty("reason").GetString());
        Assert.Equal("api", entry.GetProperty("source").GetString());
        var expires = DateTimeOffset.Parse(entry.GetProperty("expires").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(61));
        Assert.Equal(IpListKind.Deny, node.Node.IpAccess.Find(IPAddress.Parse("203.0.113.200"))?.Kind);
    }

    [Fact]
    public async Task Get_GraylistOptionAndApiEntry_ListsBothWithSource()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { Graylist = [IPNetwork.Parse("198.51.100.0/24")] });
        using var management = Management(node);
        using (await management.PostAsync(IpLists, Json("""{"list":"allow","cidr":"2001:db8::1","expires":"2099-01-01T00:00:00Z"}"""), TestContext.Current.CancellationToken))
        {
        }

        var entries = JsonDocument.Parse(await management.GetStringAsync(IpLists, TestContext.Current.CancellationToken)).RootElement.GetProperty("entries").EnumerateArray().ToList();

        Assert.Equal(2, entries.Count);
        Assert.Equal(("gray", "198.51.100.0/24", "config"), (entries[0].GetProperty("list").GetString(), entries[0].GetProperty("cidr").GetString(), entries[0].GetProperty("source").GetString()));
        Assert.Equal(("allow", "2001:db8::1/128", "api", "2099-01-01T00:00:00Z"), (entries[1].GetProperty("list").GetString(), entries[1].GetProperty("cidr").GetString(), entries[1].GetProperty("source").GetString(), entries[1].GetProperty("expires").GetString()));
        Assert.Equal(JsonValueKind.Null, entries[1].GetProperty("reason").ValueKind);
    }

    [Theory]
    [InlineData("203.0.113.0%2F24")]
    [InlineData("203.0.113.0/24")]
    public async Task Delete_ExistingEntry_Returns204ThenNotFound(string cidrInPath)
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var management = Management(node);
        using (await management.PostAsync(IpLists, Json("""{"list":"deny","cidr":"203.0.113.0/24"}"""), TestContext.Current.CancellationToken))
        {
        }

        using var deleted = await management.DeleteAsync(new Uri($"/api/ip-lists/deny/{cidrInPath}", UriKind.Relative), TestContext.Current.CancellationToken);
        using var again = await management.DeleteAsync(new Uri($"/api/ip-lists/deny/{cidrInPath}", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Null(node.Node.IpAccess.Find(IPAddress.Parse("203.0.113.1")));
    }

    [Fact]
    public async Task Delete_IPv6Entry_Returns204()
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var management = Management(node);
        using (await management.PostAsync(IpLists, Json("""{"list":"gray","cidr":"2001:db8::/32"}"""), TestContext.Current.CancellationToken))
        {
        }

        using var deleted = await management.DeleteAsync(new Uri("/api/ip-lists/gray/" + Uri.EscapeDataString("2001:db8::/32"), UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(node.Node.IpAccess.Entries);
    }

    [Theory]
    [InlineData("""{"list":"block","cidr":"10.0.0.0/8"}""", "list")]
    [InlineData("""{"cidr":"10.0.0.0/8"}""", "list")]
    [InlineData("""{"list":"deny","cidr":"10.0.0.0/33"}""", "cidr")]
    [InlineData("""{"list":"deny","cidr":"garbage"}""", "cidr")]
    [InlineData("""{"list":"deny"}""", "cidr")]
    [InlineData("""{"list":"deny","cidr":42}""", "cidr")]
    [InlineData("""{"list":"deny","cidr":"10.0.0.0/8","color":"red"}""", "color")]
    [InlineData("""{"list":"deny","cidr":"10.0.0.0/8","ttl":"soon"}""", "ttl")]
    [InlineData("""{"list":"deny","cidr":"10.0.0.0/8","ttl":"0s"}""", "ttl")]
    [InlineData("""{"list":"deny","cidr":"10.0.0.0/8","ttl":"1h","expires":"2099-01-01T00:00:00Z"}""", "ttl")]
    [InlineData("""{"list":"deny","cidr":"10.0.0.0/8","expires":"2001-01-01T00:00:00Z"}""", "expires")]
    [InlineData("""{"list":"deny","cidr":"10.0.0.0/8","expires":"someday"}""", "expires")]
    [InlineData("""["deny","10.0.0.0/8"]""", "body")]
    [InlineData("""{"list":"deny",""", "body")]
    public async Task Post_InvalidInput_Returns400NamingTheField(string body, string field)
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var management = Management(node);

        using var response = await management.PostAsync(IpLists, Json(body), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("field").GetString());
        Assert.Empty(node.Node.IpAccess.Entries);
    }

    [Fact]
    public async Task Delete_BadListOrCidr_Returns400()
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var management = Management(node);

        using var badList = await management.DeleteAsync(new Uri("/api/ip-lists/block/10.0.0.0%2F8", UriKind.Relative), TestContext.Current.CancellationToken);
        using var badCidr = await management.DeleteAsync(new Uri("/api/ip-lists/deny/garbage", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, badList.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badCidr.StatusCode);
    }

    [Fact]
    public async Task Post_BodyOver64KiB_Returns413()
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var management = Management(node);
        var reason = new string('x', ManagementEndpointsLimit);

        using var declared = await management.PostAsync(IpLists, Json($$"""{"list":"deny","cidr":"10.0.0.0/8","reason":"{{reason}}"}"""), TestContext.Current.CancellationToken);
        using var chunked = new HttpRequestMessage(HttpMethod.Post, IpLists)
        {
            Content = new StreamContent(new UnseekableStream(Encoding.UTF8.GetBytes($$"""{"list":"deny","cidr":"10.0.0.0/8","reason":"{{reason}}"}"""))),
        };
        chunked.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var streamed = await management.SendAsync(chunked, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Null(streamed.RequestMessage!.Content!.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
        Assert.Empty(node.Node.IpAccess.Entries);
    }

    [Fact]
    public async Task Post_NotJson_Returns415()
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var management = Management(node);

        using var response = await management.PostAsync(IpLists, new StringContent("""{"list":"deny","cidr":"10.0.0.0/8"}""", Encoding.UTF8, "text/plain"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Empty(node.Node.IpAccess.Entries);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token-0123456789")]
    [InlineData("Bearer 0123456789abcdef-managemenT")]
    [InlineData("Basic 0123456789abcdef-management")]
    public async Task Api_TokenConfiguredAndMissingOrWrong_Returns401(string? authorization)
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { AdminToken = Token });
        using var management = Management(node);
        using var post = new HttpRequestMessage(HttpMethod.Post, IpLists) { Content = Json("""{"list":"deny","cidr":"10.0.0.0/8"}""") };
        using var get = new HttpRequestMessage(HttpMethod.Get, IpLists);
        if (authorization is not null)
        {
            post.Headers.TryAddWithoutValidation("Authorization", authorization);
            get.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var posted = await management.SendAsync(post, TestContext.Current.CancellationToken);
        using var listed = await management.SendAsync(get, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, posted.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, listed.StatusCode);
        Assert.Equal("Bearer", posted.Headers.WwwAuthenticate.ToString());
        Assert.Empty(node.Node.IpAccess.Entries);
    }

    [Fact]
    public async Task Api_TokenConfiguredAndGiven_Succeeds()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { AdminToken = Token });
        using var management = Management(node);
        management.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        using var posted = await management.PostAsync(IpLists, Json("""{"list":"deny","cidr":"10.0.0.0/8"}"""), TestContext.Current.CancellationToken);
        using var listed = await management.GetAsync(IpLists, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
    }

    [Fact]
    public async Task AdminListener_Api_NotExposed()
    {
        await using var node = await NodeUnderTest.StartAsync();

        using var listed = await node.Admin.GetAsync(IpLists, TestContext.Current.CancellationToken);
        using var posted = await node.Admin.PostAsync(IpLists, Json("""{"list":"allow","cidr":"0.0.0.0/0"}"""), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, listed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        Assert.Empty(node.Node.IpAccess.Entries);
    }

    [Fact]
    public async Task Metrics_AfterApiAdd_EntriesGaugeOnAdminListener()
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var management = Management(node);
        using (await management.PostAsync(IpLists, Json("""{"list":"deny","cidr":"10.0.0.0/8"}"""), TestContext.Current.CancellationToken))
        {
        }

        var metrics = await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("palisade_ip_list_entries{list=\"deny\"} 1", metrics, StringComparison.Ordinal);
    }

    private const int ManagementEndpointsLimit = Palisade.Node.Admin.ManagementEndpoints.MaxBodyBytes;

    private static HttpClient Management(NodeUnderTest node) => new() { BaseAddress = node.Node.ManagementAddress };

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    // Sent chunked: no Content-Length for the node to refuse early.
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
