using Palisade.Node.Policy;

namespace Palisade.Node.Tests.Policy;

public sealed class HostScopeWarningsTests
{
    [Fact]
    public void Of_HostScopedRelaxations_AreEachNamed()
    {
        var options = PolicyConfigurationTests.Load("""
            mode: block
            routes:
              - { name: legacy, host: legacy.shop.example, mode: monitoring }
              - { name: strict, host: api.shop.example, mode: block }
              - { name: static, path: /static, mode: off }
            allow-rules:
              - { name: partner, host: partner.shop.example }
            exclusions:
              - { name: cms-html, host: cms.shop.example, points: [body.json.html] }
              - { name: search, path: /search, points: [query.q] }
            """);

        var warnings = HostScopeWarnings.Of(options);

        Assert.Equal(3, warnings.Count);
        Assert.Contains(warnings, w => w.Contains("route 'legacy'", StringComparison.Ordinal) && w.Contains("monitoring", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("allow rule 'partner'", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("exclusion 'cms-html'", StringComparison.Ordinal));
    }
}
