using Palisade.Node.Configuration;
using Palisade.Node.RateLimiting;
using Palisade.Node.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Palisade.Node.Tests.RateLimiting;

public sealed class RateLimitRulesYamlTests
{
    private const string Example = """
        rate-limits:
          - name: api
            path: /api/          # prefix; optional
            methods: [POST]      # optional
            key: ip
            limit: 100
            window: 1m
            action: reject
          - name: login-bruteforce
            path: /login
            kind: failures
            statuses: [401, 403]
            key: json:username
            limit: 5
            window: 5m
            action: graylist
            graylist-for: 15m
          - name: tokens
            host: shop.example
            methods: GET, HEAD
            key: jwt:sub
            limit: 1000
            window: 1h
            max-keys: 5000
        """;

    public static TheoryData<string, string, int> InvalidSnippets => new()
    {
        { "rate-limits:\n  - name: api\n    limit: 10\n    window: 1m\n    burst: 5\n", "rate-limits[0].burst", 5 },
        { "rate-limits:\n  - name: api\n    window: 1m\n", "rate-limits[0].limit", 2 },
        { "rate-limits:\n  - limit: 1\n    window: 1m\n", "rate-limits[0].name", 2 },
        { "rate-limits:\n  - name: api\n    limit: 0\n    window: 1m\n", "rate-limits[0].limit", 3 },
        { "rate-limits:\n  - name: api\n    limit: ten\n    window: 1m\n", "rate-limits[0].limit", 3 },
        { "rate-limits:\n  - name: api\n    limit: -3\n    window: 1m\n", "rate-limits[0].limit", 3 },
        { "rate-limits:\n  - name: api\n    limit: 99999999999\n    window: 1m\n", "rate-limits[0].limit", 3 },
        { "rate-limits:\n  - name: api\n    limit: [1]\n    window: 1m\n", "rate-limits[0].limit", 3 },
        { "rate-limits:\n  - name: api\n    limit: 1\n    window: 10x\n", "rate-limits[0].window", 4 },
        { "rate-limits:\n  - name: api\n    limit: 1\n    window: 0s\n", "rate-limits[0].window", 4 },
        { "rate-limits:\n  - name: api\n    limit: 1\n    window: 2d\n", "rate-limits[0].window", 4 },
        { "rate-limits:\n  - name: api\n    limit: 1\n    window:\n      seconds: 5\n", "rate-limits[0].window", 5 },
        { "rate-limits:\n  - name: API\n    limit: 1\n    window: 1m\n", "rate-limits[0].name", 2 },
        { "rate-limits:\n  - name: my rule\n    limit: 1\n    window: 1m\n", "rate-limits[0].name", 2 },
        { "rate-limits:\n  - name: a\n    limit: 1\n    window: 1m\n  - name: b\n    limit: 1\n    window: 1m\n  - name: a\n    limit: 2\n    window: 1m\n", "rate-limits[2].name", 8 },
        { "rate-limits:\n  - name: api\n    limit: 1\n    window: 1m\n    key: query:id\n", "rate-limits[0].key", 5 },
        { "rate-limits:\n  - name: api\n    limit: 1\n    window: 1m\n    key: \"header:\"\n", "rate-limits[0].key", 5 },
        { "rate-limits:\n  - name: api\n    limit: 1\n    window: 1m\n    action: block\n", "rate-limits[0].action", 5 },
        { "rate-limits:\n  - name: api\n    limit: 1\n    window: 1m\n    action: graylist\n", "rate-limits[0].graylist-for", 2 },
        { "rate-limits:\n  - name: api\n    limit: 1\n    window: 1m\n    graylist-for: 5m\n", "rate-limits[0].graylist-for", 5 },
        { "rate-limits:\n  - name: api\n    limit: 1\n    window: 1m\n    action: graylist\n    graylist-for: soon\n", "rate-limits[0].graylist-for", 6 },
        { "rate-limits:\n  - name: api\n    limit: 1\n    window: 1m\n    kind: brute\n", "rate-limits[0].kind", 5 },
        { "rate-limits:\n  - name: api\n    limit: 1\n    window: 1m\n    statuses: [401]\n", "rate-limits[0].statuses", 5 },
        { "rate-limits:\n  - name: api\n    limit: 1\n    window: 1m\n    kind: failures\n    statuses:\n      - 401\n      - 200\n", "rate-limits[0].statuses", 8 },
        { "rate-limits:\n  - name: api\n    limit: 1\n    window: 1m\n    methods:\n      - POST\n      - P0ST\n", "rate-limits[0].methods", 7 },
        { "rate-limits:\n  - name: api\n    limit: 1\n    window: 1m\n    methods: {post: 1}\n", "rate-limits[0].methods", 5 },
        { "rate-limits:\n  - name: api\n    limit: 1\n    window: 1m\n    path: api/\n", "rate-limits[0].path", 5 },
        { "rate-limits:\n  - name: api\n    limit: 1\n    window: 1m\n    host: a b\n", "rate-limits[0].host", 5 },
        { "rate-limits:\n  - name: api\n    limit: 1\n    window: 1m\n    max-keys: 0\n", "rate-limits[0].max-keys", 5 },
        { "rate-limits:\n  - api\n", "rate-limits[0]", 2 },
        { "rate-limits:\n  name: api\n", "rate-limits", 2 },
        { "rate-limits: api\n", "rate-limits", 1 },
        { "rate-limits:\n  - name: ok\n    limit: 1\n    window: 1m\n  - name: bad\n    limit: 1\n", "rate-limits[1].window", 5 },
    };

    [Fact]
    public void Read_DocumentedExample_ReadsEveryField()
    {
        var rules = Read(Example);

        Assert.Equal(["api", "login-bruteforce", "tokens"], rules.Select(r => r.Name));
        var api = rules[0];
        Assert.Equal("/api/", api.PathPrefix);
        Assert.Equal(["POST"], api.Methods);
        Assert.Equal(RateLimitKeySource.Ip, api.Key);
        Assert.Equal((100, TimeSpan.FromMinutes(1), RateLimitKind.Requests, RateLimitAction.Reject), (api.Limit, api.Window, api.Kind, api.Action));
        Assert.Equal(RateLimitRule.DefaultMaxKeys, api.MaxKeys);
        var login = rules[1];
        Assert.Equal((RateLimitKind.Failures, RateLimitKeyKind.Json, "username"), (login.Kind, login.Key.Kind, login.Key.Name));
        Assert.Equal([401, 403], login.Statuses);
        Assert.Equal((5, TimeSpan.FromMinutes(5), RateLimitAction.Graylist, TimeSpan.FromMinutes(15)), (login.Limit, login.Window, login.Action, login.GraylistFor));
        var tokens = rules[2];
        Assert.Equal(("shop.example", RateLimitKeyKind.Jwt, 5000), (tokens.Host, tokens.Key.Kind, tokens.MaxKeys));
        Assert.Equal(["GET", "HEAD"], tokens.Methods);
        Assert.Null(tokens.PathPrefix);
    }

    [Fact]
    public void Read_DocumentedExample_DrivesALimiter()
    {
        var limiter = new RateLimiter(Read(Example), new SplitClockTimeProvider());
        var login = RateLimitTestRequests.Request(path: "/login", method: "POST", json: """{"username":"alice"}""");
        for (var i = 0; i < 5; i++)
        {
            Assert.True(limiter.Check(login).IsAllowed);
            limiter.ObserveResponse(login, 401);
        }

        var decision = limiter.Check(login with { ClientIp = System.Net.IPAddress.Parse("198.51.100.9") });

        Assert.Equal((RateLimitDecisionKind.Graylist, "login-bruteforce"), (decision.Kind, decision.Rule?.Name));
        Assert.Equal(100, RateLimitTestRequests.Admitted(limiter, RateLimitTestRequests.Request(path: "/api/orders", method: "POST"), 150));
    }

    [Fact]
    public void Read_SameTextTwice_GivesEqualRules() =>
        Assert.Equal(Read(Example), Read(Example));

    [Fact]
    public void Read_EmptyNode_HasNoRules() =>
        Assert.Empty(Read("rate-limits:\n"));

    [Theory]
    [MemberData(nameof(InvalidSnippets))]
    public void Read_InvalidSnippet_NamesTheFieldAndLine(string yaml, string expectedKey, int expectedLine)
    {
        var error = Assert.Throws<ConfigurationException>(() => Read(yaml));

        Assert.Equal(expectedKey, error.Key);
        Assert.Equal($"policy.yaml:{expectedLine}", error.Origin);
    }

    private static IReadOnlyList<RateLimitRule> Read(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        return RateLimitRulesYaml.Read(root.Children[new YamlScalarNode(RateLimitRulesYaml.Key)], "policy.yaml");
    }
}
