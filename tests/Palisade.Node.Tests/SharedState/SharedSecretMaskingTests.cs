using System.Net;
using System.Text;
using Palisade.Node.SharedState;
using Palisade.Node.Tests.Infrastructure;
using StackExchange.Redis;

namespace Palisade.Node.Tests.SharedState;

/// <summary>Planted secrets in an attacked request never reach Redis unmasked: not in the event stream, not in any key.</summary>
public sealed class SharedSecretMaskingTests(RedisServerProcess redis) : IClassFixture<RedisServerProcess>
{
    private static readonly string[] Secrets = ["s3cr3t-token-123", "hunter2-very-secret", "sess-abcdef-secret"];

    [Fact]
    public async Task AttackWithSecrets_ReachesTheSharedStreamMasked()
    {
        var prefix = Replica.UniquePrefix();
        await using var node = await NodeUnderTest.StartAsync(o => o with { Redis = RedisOptions.Parse(redis.Connection), RedisKeyPrefix = prefix });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/login?next=1%27%20union%20select%20password%20from%20users--", UriKind.Relative))
        {
            Content = new StringContent("""{"username":"alice","password":"hunter2-very-secret' OR '1'='1"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer s3cr3t-token-123");
        request.Headers.TryAddWithoutValidation("Cookie", "session=sess-abcdef-secret");
        using var response = await node.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var requestId = Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id"));

        await using var inspect = await Replica.InspectAsync(redis);
        var database = inspect.GetDatabase();
        StreamEntry[] entries = [];
        await Replica.WaitUntilAsync(() =>
        {
            entries = database.StreamRange(prefix + "events");
            return entries.Length > 0;
        }, TimeSpan.FromSeconds(10), "the event reaches the stream");

        var stored = string.Join("\n", entries.SelectMany(e => e.Values).Select(v => v.Value.ToString()));
        Assert.Contains(requestId, stored, StringComparison.Ordinal);
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        }

        var server = inspect.GetServer(inspect.GetEndPoints()[0]);
        foreach (var key in server.Keys(pattern: prefix + "*"))
        {
            foreach (var secret in Secrets)
            {
                Assert.DoesNotContain(secret, key.ToString(), StringComparison.Ordinal);
            }
        }
    }
}
