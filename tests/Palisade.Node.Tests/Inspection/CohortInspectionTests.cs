using System.Net;
using Palisade.Detection.Verdicts;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Inspection;

/// <summary>
/// Many requests at once through a real node in block mode: whether a request is inspected on its own thread or in
/// a cohort (docs/adr/0007), each gets its own verdict and nothing of a blocked one reaches the application.
/// </summary>
public sealed class CohortInspectionTests
{
    [Fact]
    public async Task Concurrent_requests_each_get_their_own_verdict()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { Mode = EnforcementMode.Block });
        var run = Guid.NewGuid().ToString("N");
        const int Requests = 300;

        var statuses = await Task.WhenAll(Enumerable.Range(0, Requests).Select(async i =>
        {
            var attack = i % 3 == 0;
            var target = attack
                ? $"/items?id=1%27%20OR%20%271%27%3D%271&m=attack-{run}&i={i}"
                : $"/items?id={i}&m=clean-{run}&i={i}";
            using var response = await node.Client.GetAsync(new Uri(target, UriKind.Relative));
            return (attack, response.StatusCode);
        }));

        Assert.All(statuses, s => Assert.Equal(s.attack ? HttpStatusCode.Forbidden : HttpStatusCode.OK, s.StatusCode));
        Assert.Equal(0, await node.Upstream!.ReceivedAsync("attack-" + run));
        Assert.Equal(Requests - (Requests + 2) / 3, await node.Upstream!.ReceivedAsync("clean-" + run));
    }
}
