using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Robustness;

/// <summary>
/// Asserts what ROBUSTNESS.md calls "Reject": the status, a closed connection, nothing at the application (requests
/// carry a marker the recording application counts), a <c>protocol_violation</c> event with the request id of the
/// answer, and one more in the reason's metric.
/// </summary>
internal static partial class FrontDoorProbe
{
    public static async Task<RawExchange> AssertRejectedAsync(NodeUnderTest node, string marker, string request, int status, string reason, int answeredBefore = 0)
    {
        var before = await ViolationsAsync(node, reason);

        var exchange = await RawExchange.SendAsync(node.Node.ProxyAddress, request);

        Assert.True(exchange.Closed, "the connection stayed open:\n" + exchange.Response);
        Assert.True(exchange.Statuses.Count == answeredBefore + 1, "expected " + (answeredBefore + 1) + " responses:\n" + exchange.Response);
        Assert.Equal(status, exchange.Statuses[^1]);
        Assert.Contains($"\"reason\":\"{reason}\"", exchange.Response, StringComparison.Ordinal);
        Assert.Equal(answeredBefore, await node.Upstream!.ReceivedAsync(marker));
        Assert.Equal(before + 1, await ViolationsAsync(node, reason));
        await AssertEventAsync(node, RequestId().Match(exchange.Response).Groups[1].Value, reason);
        return exchange;
    }

    /// <summary>The violation counter for <paramref name="reason"/>.</summary>
    public static async Task<int> ViolationsAsync(NodeUnderTest node, string reason)
    {
        var metrics = await node.Admin.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var match = Regex.Match(metrics, $"palisade_protocol_violations_total\\{{reason=\"{reason}\"\\}} (\\d+)");
        Assert.True(match.Success, "no metric for reason " + reason);
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>The event is written off the request path: waits for it.</summary>
    public static async Task AssertEventAsync(NodeUnderTest node, string requestId, string reason)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!node.Events.Events.Any(e => Is(e, requestId, reason)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no protocol_violation event {requestId} with reason {reason}: {node.Events.Text}");
            await Task.Delay(20);
        }
    }

    public static string Marker(string id) => id + "-" + Guid.NewGuid().ToString("N")[..12];

    private static bool Is(JsonElement e, string requestId, string reason) =>
        e.GetProperty("event").GetString() == "protocol_violation"
        && e.GetProperty("reason").GetString() == reason
        && (requestId.Length == 0 || e.GetProperty("request_id").GetString() == requestId);

    [GeneratedRegex("\"request_id\":\"([^\"]+)\"")]
    private static partial Regex RequestId();
}
