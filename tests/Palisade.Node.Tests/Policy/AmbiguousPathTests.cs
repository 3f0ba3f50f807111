using Palisade.Node.Tests.Infrastructure;
using Palisade.Node.Tests.Robustness;

namespace Palisade.Node.Tests.Policy;

/// <summary>
/// Spellings that servers resolve differently (<c>..;</c>, <c>%2F</c>, backslashes, doubled slashes) cannot borrow a
/// laxer route, allow rule or exclusion than the one the application serves them from. The application is a real
/// nginx whose answer names the location it chose: a request sent to nginx directly shows where it serves the
/// spelling, the same spelling with an attack through the node shows the node did not relax inspection on the way.
/// (The lax settings cover the path point too: without them the traversal-like spelling alone would be blocked.)
/// </summary>
public sealed class AmbiguousPathTests
{
    private const string Xss = "%3Cscript%3Ealert(1)%3C%2Fscript%3E";

    public static TheoryData<string, string> LaxStaticPolicies => new()
    {
        {
            "route off",
            """
            mode: block
            routes:
              - name: static
                path: /static
                mode: off
            """
        },
        {
            "allow rule",
            """
            mode: block
            allow-rules:
              - name: static-files
                path: /static
            """
        },
        {
            "exclusion",
            """
            mode: block
            exclusions:
              - path: /static
                points: [path, query.*]
            """
        },
    };

    [Theory]
    [MemberData(nameof(LaxStaticPolicies))]
    public async Task ParameterDotSegment_ThatNginxServesFromApi_IsNotInspectedAsStatic(string lax, string policy)
    {
        await using var nginx = await NginxUpstream.StartAsync("api", "static");
        await using var node = await NodeUnderTest.StartFromFileAsync(policy, application: nginx.Address);

        // A Tomcat-style reading gives /static/x; nginx (like Kestrel) keeps "..;" as a name and serves /api.
        var direct = await SendAsync(nginx.Address, "/api/..;/static/x?q=hello");
        var attack = await SendAsync(node, "/api/..;/static/x?q=" + Xss);

        Assert.Equal([200], direct.Statuses);
        Assert.Contains("api /api/..;/static/x", direct.Response, StringComparison.Ordinal);
        Assert.True(attack.Statuses.SequenceEqual([403]), lax + ": " + attack.Response);
        Assert.DoesNotContain(nginx.ReceivedTargets(), t => t.Contains("%3Cscript", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(LaxStaticPolicies))]
    public async Task EncodedSlashTraversal_IsInspectedUnderTheStricterReading(string lax, string policy)
    {
        await using var nginx = await NginxUpstream.StartAsync("api", "static");
        await using var node = await NodeUnderTest.StartFromFileAsync(policy, application: nginx.Address);

        // nginx decodes %2F and climbs: /static/y. Kestrel would keep one segment "..%2F..%2Fstatic": /api/x/...
        var direct = await SendAsync(nginx.Address, "/api/x/..%2F..%2Fstatic/y?q=hello");
        var attack = await SendAsync(node, "/api/x/..%2F..%2Fstatic/y?q=" + Xss);

        Assert.Equal([200], direct.Statuses);
        Assert.Contains("static /static/y", direct.Response, StringComparison.Ordinal);
        Assert.True(attack.Statuses.SequenceEqual([403]), lax + ": " + attack.Response);
    }

    [Theory]
    [MemberData(nameof(LaxStaticPolicies))]
    public async Task PlainAndUnambiguousSpellings_KeepTheirRoute(string lax, string policy)
    {
        await using var nginx = await NginxUpstream.StartAsync("api", "static");
        await using var node = await NodeUnderTest.StartFromFileAsync(policy, application: nginx.Address);

        // Every reading falls under /static: the lax setting holds, as configured.
        foreach (var path in new[] { "/static/x", "/static/a%2Fb", "/static//x", "/static/caf%C3%A9" })
        {
            var exchange = await SendAsync(node, path + "?q=" + Xss);
            Assert.True(exchange.Statuses.SequenceEqual([200]), $"{lax} {path}: {exchange.Response}");
            Assert.Contains("static /static/", exchange.Response, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(LaxStaticPolicies))]
    public async Task SpellingsARawRouterServesElsewhere_AreInspected(string lax, string policy)
    {
        await using var node = await NodeUnderTest.StartFromFileAsync(policy);

        // Resolved, these are /static/x; Node's http module or Express routes the target as sent, under /admin
        // or nowhere at all (a catch-all), so nothing relaxed for /static may apply.
        foreach (var path in new[] { "/admin/../static/x", "/admin/%2e%2e/static/x", "/%73tatic/x" })
        {
            var exchange = await SendAsync(node, path + "?q=" + Xss);
            Assert.True(exchange.Statuses.SequenceEqual([403]), $"{lax} {path}: {exchange.Response}");
        }
    }

    [Fact]
    public async Task VirtualPatch_FiresWhenEitherReadingIsUnderIt()
    {
        await using var nginx = await NginxUpstream.StartAsync("api", "static");
        await using var node = await NodeUnderTest.StartFromFileAsync("""
            mode: block
            virtual-patches:
              - name: no-api
                path: /api
            exclusions:
              - name: no-traversal-finding
                points: [path]
            """, application: nginx.Address);

        // Tomcat reads /static/x, nginx serves /api: the patch holds. (The traversal finding on the path is
        // excluded so that only the patch can block.)
        var ambiguous = await SendAsync(node, "/api/..;/static/x");
        var plain = await SendAsync(node, "/static/x");

        Assert.Equal([403], ambiguous.Statuses);
        Assert.Equal([200], plain.Statuses);
        Assert.DoesNotContain(nginx.ReceivedTargets(), t => t.StartsWith("/api", StringComparison.Ordinal));
    }

    private static Task<RawExchange> SendAsync(NodeUnderTest node, string target) => SendAsync(node.Node.ProxyAddress, target);

    private static Task<RawExchange> SendAsync(Uri address, string target) =>
        RawExchange.SendAsync(address, $"GET {target} HTTP/1.1\r\nHost: shop.example\r\nConnection: close\r\n\r\n");
}
