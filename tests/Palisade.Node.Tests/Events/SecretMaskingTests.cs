using System.Net;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Events;

/// <summary>No secret leaves the node unmasked: events show where and why, never the value of a credential.</summary>
public sealed class SecretMaskingTests
{
    [Fact]
    public async Task A03_Event_AttackInCookie_EvidenceMasked()
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("Cookie", "session=s3cr3t-cookie-value; pref=1' OR '1'='1");
        using var response = await node.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var attack = await node.Events.WaitForAsync(Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id")));
        var finding = Assert.Single(attack.GetProperty("findings").EnumerateArray(), f => f.GetProperty("point").GetString()!.StartsWith("cookie.pref", StringComparison.Ordinal));
        Assert.StartsWith("[masked", finding.GetProperty("evidence").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-cookie-value", node.Events.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("OR '1'", node.Events.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A03_Event_AttackInPasswordField_EvidenceMasked()
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var content = new FormUrlEncodedContent([new("username", "alice"), new("password", "hunter2' OR 1=1--")]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login") { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.top-secret-token");
        using var response = await node.Client.SendAsync(request);

        var attack = await node.Events.WaitForAsync(Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id")));
        var finding = Assert.Single(attack.GetProperty("findings").EnumerateArray(), f => f.GetProperty("point").GetString() == "body.form.password");
        Assert.StartsWith("[masked", finding.GetProperty("evidence").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", node.Events.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("top-secret-token", node.Events.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Event_AttackInOrdinaryParameter_EvidenceShown()
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var response = await node.Client.GetAsync(new Uri("/?q=%3Cscript%3Ealert(1)%3C/script%3E", UriKind.Relative));
        var attack = await node.Events.WaitForAsync(Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id")));
        var finding = Assert.Single(attack.GetProperty("findings").EnumerateArray());
        Assert.Contains("<script>", finding.GetProperty("evidence").GetString(), StringComparison.Ordinal);
    }
}
