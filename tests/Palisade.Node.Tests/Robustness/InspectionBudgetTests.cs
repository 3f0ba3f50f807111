using System.Net;
using System.Text;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Robustness;

/// <summary>ROBUSTNESS.md S07: an inspection that runs past its time budget is an overlimit finding, not a pass.</summary>
public sealed class InspectionBudgetTests
{
    // 9,000 clean, percent-encoded values: milliseconds of decoding and detection, far from an attack.
    private static readonly string Form = string.Join('&', Enumerable.Range(0, 9_000).Select(i => $"field{i}=%27value%20{i}%27"));

    [Fact]
    public async Task S07_AnInspectionPastItsTimeBudget_IsAnOverlimitFindingUnderTheMode()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { InspectionTimeBudget = TimeSpan.FromMilliseconds(1) });

        using var response = await node.Client.PostAsync(new Uri("/s07", UriKind.Relative), new StringContent(Form, Encoding.ASCII, "application/x-www-form-urlencoded"));
        var requestId = response.Headers.GetValues(NodeHeaders.PalisadeRequestId).Single();
        var attack = await node.Events.WaitForAsync(requestId);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(attack.GetProperty("findings").EnumerateArray(), f => f.GetProperty("type").GetString() == "overlimit");
    }

    [Fact]
    public async Task S07_WithoutABudget_TheSameRequestIsInspectedWholeAndPasses()
    {
        await using var node = await NodeUnderTest.StartAsync();

        using var response = await node.Client.PostAsync(new Uri("/s07", UriKind.Relative), new StringContent(Form, Encoding.ASCII, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
