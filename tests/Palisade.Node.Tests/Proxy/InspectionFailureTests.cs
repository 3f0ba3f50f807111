using System.Net;
using Palisade.Detection.Detectors;
using Palisade.Detection.Engine;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Proxy;

/// <summary>An engine failure is handled by the fail-open setting, counted, and never crashes the node.</summary>
public sealed class InspectionFailureTests
{
    [Theory]
    [InlineData(true, HttpStatusCode.OK)]
    [InlineData(false, HttpStatusCode.ServiceUnavailable)]
    public async Task I01_Inspect_EngineThrows_FollowsFailOpen(bool failOpen, HttpStatusCode expected)
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { FailOpen = failOpen }, engine: new InspectionEngine([new ThrowingDetector()]));
        using var response = await node.Client.GetAsync(new Uri("/any?x=boom", UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
        var metrics = await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("palisade_inspection_failures_total 1", metrics, StringComparison.Ordinal);
    }

    /// <summary>Stands for a detector bug: the only way to make the real engine fail on purpose.</summary>
    private sealed class ThrowingDetector : IDetector
    {
        public string Id => "test.throwing";

        public AttackType AttackType => AttackType.Sqli;

        public bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match) =>
            throw new InvalidOperationException("detector bug");
    }
}
