using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Palisade.Detection.Engine;
using Palisade.Detection.Verdicts;
using Palisade.Node.Tests.Infrastructure;

namespace Palisade.Node.Tests.Inspection;

/// <summary>
/// A body sent with Content-Encoding is inspected decompressed and forwarded as sent; a decompression bomb is an
/// overlimit attack unless the overlimit policy passes it.
/// </summary>
public sealed class CompressedBodyTests
{
    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static ByteArrayContent GzipJson(byte[] compressed)
    {
        var content = new ByteArrayContent(compressed);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    [Fact]
    public async Task D13_Block_AttackInsideGzipJson_Answers403NamingTheDecodedPoint()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { Mode = EnforcementMode.Block });
        var marker = Guid.NewGuid().ToString("N");
        using var content = GzipJson(Gzip(Encoding.UTF8.GetBytes("{\"q\":\"1' OR '1'='1\"}")));
        using var response = await node.Client.PostAsync(new Uri("/api/search?m=" + marker, UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var attack = await node.Events.WaitForAsync(Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id")));
        Assert.Contains(attack.GetProperty("findings").EnumerateArray(), f => f.GetProperty("point").GetString() == "body|gzip.json.q");
        Assert.Equal(0, await node.Upstream!.ReceivedAsync(marker));
    }

    [Fact]
    public async Task Block_CleanGzipJson_ForwardedCompressedByteForByte()
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { Mode = EnforcementMode.Block });
        var compressed = Gzip(Encoding.UTF8.GetBytes("{\"order\":{\"note\":\"Leave the parcel at the front.\",\"items\":[1,2,3]}}"));
        using var content = GzipJson(compressed);
        using var response = await node.Client.PostAsync(new Uri("/api/orders", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var recorded = Recorded.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(compressed, recorded.Body);
        Assert.Equal(["gzip"], recorded.Values("Content-Encoding"));
    }

    [Theory]
    [InlineData(OverlimitPolicy.Block, HttpStatusCode.Forbidden)]
    [InlineData(OverlimitPolicy.Pass, HttpStatusCode.OK)]
    public async Task D13_DecompressionBomb_FollowsTheOverlimitPolicy(OverlimitPolicy policy, HttpStatusCode expected)
    {
        await using var node = await NodeUnderTest.StartAsync(o => o with { Mode = EnforcementMode.Block, OverlimitPolicy = policy });
        var bomb = Gzip(new byte[16 * 1024 * 1024]);
        using var content = GzipJson(bomb);
        using var response = await node.Client.PostAsync(new Uri("/api/import", UriKind.Relative), content);

        Assert.Equal(expected, response.StatusCode);
        if (policy == OverlimitPolicy.Block)
        {
            var attack = await node.Events.WaitForAsync(Assert.Single(response.Headers.GetValues("X-Palisade-Request-Id")));
            Assert.Contains(attack.GetProperty("findings").EnumerateArray(), f => f.GetProperty("type").GetString() == "overlimit");
        }
        else
        {
            Assert.Equal(bomb, Recorded.Parse(await response.Content.ReadAsStringAsync()).Body);
        }
    }
}
