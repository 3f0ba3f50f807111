using Palisade.Detection.Findings;
using Palisade.Detection.Rules;
using Palisade.Detection.Verdicts;
using Palisade.Node.Configuration;
using Palisade.Node.Policy;

namespace Palisade.Node.Tests.Policy;

/// <summary>The policy sections of <c>palisade.yaml</c>: what they read into, and errors that name the key and line.</summary>
public sealed class PolicyConfigurationTests
{
    private const string Sample = """
        mode: block
        inspection-limit: 1MiB
        routes:
          - name: api
            host: api.example.com
            path: /api/
            methods: [GET, POST]
            mode: monitoring
            inspection-limit: 64KiB
            oversize-policy: reject
            fail-open: false
          - name: login
            path: /Login
            path-match: exact
            case-sensitive: false
        exclusions:
          - name: blog-comments
            path: /blog
            points: [body.json.comment, body.form.comment]
            detectors: [xss, sqli.grammar]
            reason: rich text editor
          - route: api
            point: header.x-trace
        virtual-patches:
          - name: block-admin
            path: /admin
          - name: no-jndi
            point: header.*
            contains: "${jndi:"
            ignore-case: true
        allow-rules:
          - name: health-scanner
            route: login
            point: header.x-scan-token
            equals: s3cr3t
        """;

    [Fact]
    public void Load_Sample_ReadsEverySection()
    {
        var options = Load(Sample);

        Assert.Equal(["api", "login"], options.Routes.Select(r => r.Name));
        var api = options.Routes[0];
        Assert.Equal(EnforcementMode.Monitoring, api.Mode);
        Assert.Equal(64 * 1024, api.InspectionLimit);
        Assert.Equal(OversizePolicy.Reject, api.OversizePolicy);
        Assert.False(api.FailOpen);
        Assert.Null(options.Routes[1].Mode);
        Assert.Equal(3, options.Exclusions.Count);
        Assert.Equal([AttackType.Xss], options.Exclusions[0].AttackTypes);
        Assert.Equal(["sqli.grammar"], options.Exclusions[0].DetectorIds);
        Assert.True(options.Exclusions[2].AllDetectors);
        Assert.Equal(api.Match with { Route = "api" }, options.Exclusions[2].Scope);
        Assert.Equal(["block-admin", "no-jndi"], options.VirtualPatches.Select(r => r.Name));
        Assert.All(options.VirtualPatches, r => Assert.Equal(RequestRuleAction.Block, r.Action));
        Assert.Equal(RequestRuleAction.Allow, Assert.Single(options.AllowRules).Action);
    }

    [Fact]
    public void Resolve_Sample_FirstMatchingRouteWithGlobalFallbacks()
    {
        var policy = NodePolicy.From(Load(Sample));

        var api = policy.Resolve("POST", "api.example.com:8443", RulePath.Normalize("/api/v1/users"));
        var wrongHost = policy.Resolve("POST", "www.example.com", RulePath.Normalize("/api/v1/users"));
        var wrongMethod = policy.Resolve("DELETE", "api.example.com", RulePath.Normalize("/api/v1/users"));
        var login = policy.Resolve("POST", "x", RulePath.Normalize("//LOGIN/"));

        Assert.Equal(("api", EnforcementMode.Monitoring, 64 * 1024L, false), (api.Name, api.Mode, api.InspectionLimit, api.FailOpen));
        Assert.Equal("default", wrongHost.Name);
        Assert.Equal("default", wrongMethod.Name);
        Assert.Equal(("login", EnforcementMode.Block, 1L << 20, true), (login.Name, login.Mode, login.InspectionLimit, login.FailOpen));
    }

    [Theory]
    [InlineData("routes:\n  - path: /a\n", "routes[0].name", 2)]
    [InlineData("routes:\n  - name: a\n    path: /a\n  - name: a\n    path: /b\n", "routes[1].name", 4)]
    [InlineData("routes:\n  - name: Bad Name\n", "routes[0].name", 2)]
    [InlineData("routes:\n  - name: default\n", "routes[0].name", 2)]
    [InlineData("routes:\n  - name: a\n    path: a\n", "routes[0].path", 3)]
    [InlineData("routes:\n  - name: a\n    path: /a/*\n", "routes[0].path", 3)]
    [InlineData("routes:\n  - name: a\n    path-match: exact\n", "routes[0].path-match", 3)]
    [InlineData("routes:\n  - name: a\n    path: /a\n    path-match: regex\n", "routes[0].path-match", 4)]
    [InlineData("routes:\n  - name: a\n    mode: strict\n", "routes[0].mode", 3)]
    [InlineData("routes:\n  - name: a\n    inspection-limit: lots\n", "routes[0].inspection-limit", 3)]
    [InlineData("routes:\n  - name: a\n    fail-open: maybe\n", "routes[0].fail-open", 3)]
    [InlineData("routes:\n  - name: a\n    methods: [get]\n", "routes[0].methods", 3)]
    [InlineData("routes:\n  - name: a\n    host: 'a b'\n", "routes[0].host", 3)]
    [InlineData("routes:\n  - name: a\n    pth: /a\n", "routes[0].pth", 3)]
    [InlineData("routes:\n  name: a\n", "routes", 2)]
    [InlineData("routes:\n  - just-a-string\n", "routes[0]", 2)]
    [InlineData("exclusions:\n  - path: /a\n", "exclusions[0].points", 2)]
    [InlineData("exclusions:\n  - point: query..x\n", "exclusions[0].point", 2)]
    [InlineData("exclusions:\n  - point: query.x\n    detectors: [sqlx]\n", "exclusions[0].detectors", 3)]
    [InlineData("exclusions:\n  - point: query.x\n    detectors: [overlimit]\n", "exclusions[0].detectors", 3)]
    [InlineData("exclusions:\n  - point: query.x\n    route: nowhere\n", "exclusions[0].route", 3)]
    [InlineData("routes:\n  - name: r\nexclusions:\n  - point: query.x\n    route: r\n    path: /a\n", "exclusions[0].path", 6)]
    [InlineData("exclusions:\n  - point: query.x\n    detector: xss\n", "exclusions[0].detector", 3)]
    [InlineData("virtual-patches:\n  - name: a\n", "virtual-patches[0].path", 2)]
    [InlineData("virtual-patches:\n  - path: /a\n", "virtual-patches[0].name", 2)]
    [InlineData("virtual-patches:\n  - name: a\n    regex: '(a'\n", "virtual-patches[0].regex", 3)]
    [InlineData("virtual-patches:\n  - name: a\n    regex: '(a)\\1'\n", "virtual-patches[0].regex", 3)]
    [InlineData("virtual-patches:\n  - name: a\n    equals: x\n    contains: y\n", "virtual-patches[0].contains", 4)]
    [InlineData("virtual-patches:\n  - name: a\n    path: /a\n  - name: a\n    path: /b\n", "virtual-patches[1].name", 4)]
    [InlineData("allow-rules:\n  - name: a\n", "allow-rules[0].path", 2)]
    [InlineData("allow-rules:\n  - name: a\n    path: /x\n    action: block\n", "allow-rules[0].action", 4)]
    public void Load_InvalidSection_NamesTheKeyAndLine(string yaml, string key, int line)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(yaml));

        Assert.Equal(key, error.Key);
        Assert.Equal($"palisade.yaml:{line}", error.Origin);
    }

    [Fact]
    public void Load_EmptySections_AreNoRules()
    {
        var options = Load("routes:\nexclusions: []\n");

        Assert.Empty(options.Routes);
        Assert.Empty(options.Exclusions);
        Assert.True(NodePolicy.From(options).Rules.IsEmpty);
    }

    internal static NodeOptions Load(string yaml)
    {
        var directory = Directory.CreateTempSubdirectory("palisade-policy-");
        try
        {
            var file = Path.Combine(directory.FullName, "palisade.yaml");
            File.WriteAllText(file, yaml);
            return NodeOptionsLoader.Load(new NodeConfigurationSources { ConfigFile = file });
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
