using System.Net;
using Palisade.Detection.Engine;
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
}
