using Palisade.Detection.Findings;
using Palisade.Detection.Rules;
using Palisade.Node.Policy;

namespace Palisade.Node.Tests.Policy;

public sealed class RuntimeExclusionsTests
{
    [Fact]
    public void Add_SameNameTwice_IsHeldOnce()
    {
        var held = new RuntimeExclusions();

        Assert.True(held.Add([Exclusion("fp-a-1"), Exclusion("fp-a-2")]));
        Assert.True(held.Add([Exclusion("fp-a-1"), Exclusion("fp-b-1")]));

        Assert.Equal(["fp-a-1", "fp-a-2", "fp-b-1"], held.Items.Select(e => e.Name));
    }

    [Fact]
    public void Add_PastTheCap_AddsNoneAndSaysSo()
    {
        var held = new RuntimeExclusions();
        Assert.True(held.Add(Enumerable.Range(0, RuntimeExclusions.MaxItems - 1).Select(i => Exclusion($"fp-{i}"))));

        Assert.False(held.Add([Exclusion("fp-x"), Exclusion("fp-y")]));
        Assert.True(held.Add([Exclusion("fp-x")]));

        Assert.Equal(RuntimeExclusions.MaxItems, held.Items.Count);
    }

    private static Exclusion Exclusion(string name) =>
        new(name, RequestMatcher.Any, PointPattern.TryParse("query.q", out _)!, new HashSet<AttackType>(), new HashSet<string>());
}
