using System.Text;
using Palisade.Detection.Engine;
using Palisade.Detection.Findings;
using Palisade.Detection.Rules;
using Palisade.Detection.Snapshots;

namespace Palisade.Detection.Tests.Rules;

/// <summary>Rules applied to what the real engine finds in real requests.</summary>
public sealed class ScopedRulesTests
{
    private static readonly InspectionEngine Engine = InspectionEngine.CreateDefault();

    [Fact]
    public void Apply_ExclusionAtAPoint_DropsOnlyFindingsThere()
    {
        var rules = new RuleSet([Exclusion("comment", "body.json.comment", AttackType.Xss)], []);
        var request = Json("/blog/post?q=<script>alert(1)</script>", """{"comment":"<script>alert(1)</script>"}""");

        var findings = Inspect(rules, request);

        Assert.DoesNotContain(findings, f => f.Point.StartsWith("body.json.comment", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Point.StartsWith("query.q", StringComparison.Ordinal) && f.AttackType == AttackType.Xss);
    }

    [Fact]
    public void Apply_ExclusionOfOneType_KeepsOtherTypesAtThePoint()
    {
        var rules = new RuleSet([Exclusion("comment", "body.json.comment", AttackType.Xss)], []);
        var request = Json("/blog/post", """{"comment":"1' union select password from users--"}""");

        var findings = Inspect(rules, request);

        Assert.Contains(findings, f => f.AttackType == AttackType.Sqli);
    }

    [Fact]
    public void Apply_ExclusionOutOfScope_DropsNothing()
    {
        var scope = new RequestMatcher(null, PathPattern.TryCreate("/other", PathMatchKind.Prefix, true, out _), null);
        var rules = new RuleSet([new Exclusion("x", scope, PointPattern.TryParse("body.json.comment", out _)!, new HashSet<AttackType>(), new HashSet<string>())], []);
        var request = Json("/blog/post", """{"comment":"<script>alert(1)</script>"}""");

        Assert.Contains(Inspect(rules, request), f => f.AttackType == AttackType.Xss);
    }

    [Fact]
    public void Apply_VirtualPatchOnAPointValue_IsAFindingOfItsOwn()
    {
        var patch = new RequestRule("no-debug", RequestRuleAction.Block, RequestMatcher.Any, PointPattern.TryParse("query.debug", out _), ValueMatcher.TryCreate(ValueMatchKind.Equals, "1", false, out _));
        var rules = new RuleSet([], [patch]);

        var findings = Inspect(rules, new RequestSnapshot("GET", "/x?debug=1", []));
        var clean = Inspect(rules, new RequestSnapshot("GET", "/x?debug=0", []));

        var finding = Assert.Single(findings);
        Assert.Equal(AttackType.VirtualPatch, finding.AttackType);
        Assert.Equal("rule.no-debug", finding.DetectorId);
        Assert.Equal("query.debug", finding.Point);
        Assert.Empty(clean);
    }

    [Fact]
    public void Apply_VirtualPatchOnAnEncodedValue_SeesTheDecodedForm()
    {
        var patch = new RequestRule("jndi", RequestRuleAction.Block, RequestMatcher.Any, null, ValueMatcher.TryCreate(ValueMatchKind.Contains, "${jndi:", true, out _));
        var rules = new RuleSet([], [patch]);

        var findings = Inspect(rules, new RequestSnapshot("GET", "/x?v=JHtqbmRpOmxkYXA6Ly94fQ==", []));

        Assert.Contains(findings, f => f.AttackType == AttackType.VirtualPatch && f.Point == "query.v|base64");
    }

    [Theory]
    [InlineData("/admin")]
    [InlineData("/a/../admin")]
    [InlineData("/a/%2e%2e/admin")]
    [InlineData("/a/%252e%252e/admin")]
    [InlineData("/a/..;/admin")]
    [InlineData("/admin/.")]
    [InlineData("//admin")]
    [InlineData("///admin?x")]
    public void Select_PathRule_FiresOnEverySpellingOfThePath(string target)
    {
        var rules = new RuleSet([], [new RequestRule("admin", RequestRuleAction.Block, new RequestMatcher(null, PathPattern.TryCreate("/admin", PathMatchKind.Prefix, true, out _), null), null, null)]);
        var question = target.IndexOf('?', StringComparison.Ordinal);
        var path = RulePath.Normalize(question < 0 ? target : target[..question]);

        var scoped = rules.Select("GET", "example.com", path);

        Assert.NotNull(scoped);
        Assert.Contains(scoped.Apply([]), f => f.DetectorId == "rule.admin");
    }

    [Fact]
    public void Apply_DoubleEncodedPathRule_SaysSo()
    {
        var rules = new RuleSet([], [new RequestRule("admin", RequestRuleAction.Block, new RequestMatcher(null, PathPattern.TryCreate("/admin", PathMatchKind.Prefix, true, out _), null), null, null)]);

        var finding = Assert.Single(rules.Select("GET", "h", RulePath.Normalize("/a/%252e%252e/admin"))!.Apply([]));

        Assert.Contains("multiple URL encoding", finding.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_AllowRuleWithAValue_DropsDetectorFindingsButNotPatches()
    {
        var allow = new RequestRule("scanner", RequestRuleAction.Allow, RequestMatcher.Any, PointPattern.TryParse("header.x-scan-token", out _), ValueMatcher.TryCreate(ValueMatchKind.Equals, "s3cr3t", false, out _));
        var patch = new RequestRule("no-debug", RequestRuleAction.Block, RequestMatcher.Any, PointPattern.TryParse("query.debug", out _), null);
        var rules = new RuleSet([], [allow, patch]);
        var allowed = new RequestSnapshot("GET", "/x?q=1'+union+select+1--&debug=1", [new HttpHeader("X-Scan-Token", "s3cr3t")]);
        var notAllowed = new RequestSnapshot("GET", "/x?q=1'+union+select+1--", [new HttpHeader("X-Scan-Token", "guess")]);

        var findings = Inspect(rules, allowed);

        Assert.Equal([AttackType.VirtualPatch], findings.Select(f => f.AttackType));
        Assert.Contains(Inspect(rules, notAllowed), f => f.AttackType == AttackType.Sqli);
    }

    [Fact]
    public void Apply_Overlimit_IsNeverExcludedNorAllowed()
    {
        var overlimit = new Finding(AttackType.Overlimit, "request", "engine.budget", "too many values", "points", 100);
        var allow = new RequestRule("all", RequestRuleAction.Allow, new RequestMatcher(null, PathPattern.TryCreate("/", PathMatchKind.Prefix, true, out _), null), null, null);
        var rules = new RuleSet([new Exclusion("all", RequestMatcher.Any, PointPattern.TryParse("**", out _)!, new HashSet<AttackType>(), new HashSet<string>())], [allow]);

        var scoped = rules.Select("GET", "h", RulePath.Normalize("/x"))!;

        Assert.Equal([overlimit], scoped.Apply([overlimit]));
    }

    [Fact]
    public void Apply_SecretPointValue_IsMaskedInTheEvidence()
    {
        var patch = new RequestRule("pw", RequestRuleAction.Block, RequestMatcher.Any, PointPattern.TryParse("body.json.password", out _), null);
        var rules = new RuleSet([], [patch]);

        var finding = Assert.Single(Inspect(rules, Json("/login", """{"password":"hunter2-secret"}""")));

        Assert.DoesNotContain("hunter2", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_NoRules_IsNull()
    {
        Assert.Null(RuleSet.Empty.Select("GET", "h", RulePath.Normalize("/")));
    }

    private static Exclusion Exclusion(string name, string point, AttackType type) =>
        new(name, RequestMatcher.Any, PointPattern.TryParse(point, out _)!, new HashSet<AttackType> { type }, new HashSet<string>());

    private static RequestSnapshot Json(string target, string body) =>
        new("POST", target, [new HttpHeader("Content-Type", "application/json")]) { Body = Encoding.UTF8.GetBytes(body) };

    private static IReadOnlyList<Finding> Inspect(RuleSet rules, RequestSnapshot request)
    {
        var question = request.RawTarget.IndexOf('?', StringComparison.Ordinal);
        var scoped = rules.Select(request.Method, "example.com", RulePath.Normalize(question < 0 ? request.RawTarget : request.RawTarget[..question]));
        var result = Engine.Inspect(request, scoped is { NeedsValues: true } ? scoped : null);
        return scoped?.Apply(result.Findings) ?? result.Findings;
    }
}
