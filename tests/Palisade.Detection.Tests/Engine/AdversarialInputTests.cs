using System.Text;
using Palisade.Detection.Engine;
using Palisade.Detection.Snapshots;

namespace Palisade.Detection.Tests.Engine;

/// <summary>No input makes the engine throw, loop, or do more than linear work (measured on counters, never on time).</summary>
public class AdversarialInputTests
{
    [Theory]
    [InlineData('\'')]
    [InlineData('<')]
    [InlineData('%')]
    [InlineData('{')]
    [InlineData('[')]
    [InlineData('\\')]
    [InlineData('&')]
    public void Inspect_OneMebibyteOfOneCharacter_Completes(char c)
    {
        var body = new string(c, 1024 * 1024);
        foreach (var type in new[] { "application/json", "text/plain", "application/x-www-form-urlencoded", "" })
        {
            var headers = type.Length == 0 ? Array.Empty<HttpHeader>() : [new HttpHeader("Content-Type", type)];
            var result = Engine().Inspect(new RequestSnapshot("POST", "/?q=" + body[..4096], headers) { Body = Encoding.UTF8.GetBytes(body) });
            Assert.True(result.Points <= InspectionOptions.Default.MaxPoints);
        }
    }

    // Found by fuzz/run.sh json and multipart: a JSON string with a byte that is not UTF-8 made the reader throw
    // InvalidOperationException, an engine error the node fails open on, so the rest of the body went uninspected.
    [Fact]
    public void Inspect_JsonStringWithInvalidUtf8_IsInspectedWholeNotAnEngineError()
    {
        byte[] body = [.. "{\"a\":[1,\"x%"u8, 0x94, 0x94, 0x94, .. "\"],\"q\":\"1' union select password from users--\"}"u8];

        var result = Engine().Inspect(new RequestSnapshot("POST", "/", [new("Content-Type", "application/json")]) { Body = body });

        Assert.True(result.IsAttack);
    }

    // Found by fuzz/run.sh decoders: zlib answers crafted deflate data with ZLibException, an IOException.
    [Theory]
    [InlineData("383033630001000069 7fff614f690e")]
    [InlineData("78 9c 03 00 ff ff 00 00 00 01 41 41 41 41")]
    public void Inspect_CraftedDeflateBody_IsUndecodableNotAnEngineError(string hex)
    {
        var body = Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

        var result = Engine().Inspect(new RequestSnapshot("POST", "/?q=1' union select password from users--", [new("Content-Encoding", "deflate"), new("Content-Type", "text/plain")]) { Body = body });

        Assert.True(result.IsAttack);
    }

    [Fact]
    public void Inspect_DeepJsonNesting_Completes()
    {
        var json = new string('[', 100_000) + new string(']', 100_000);
        var result = Engine().Inspect(new RequestSnapshot("POST", "/?d=" + Uri.EscapeDataString(new string('{', 5000)), [new("Content-Type", "application/json")]) { Body = Encoding.UTF8.GetBytes(json) });
        Assert.True(result.Points <= InspectionOptions.Default.MaxPoints);
    }

    [Fact]
    public void Inspect_RandomBytes_NeverThrow()
    {
        var random = new Random(1234);
        var alphabet = "%&\\;=+/{}[]<>\"'uxX0123456789abcdefABCDEF#.eyJ\u00c0";
        for (var round = 0; round < 300; round++)
        {
            var chars = new char[random.Next(1, 400)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = random.Next(4) == 0 ? (char)random.Next(0, 0x3000) : alphabet[random.Next(alphabet.Length)];
            }

            var text = new string(chars);
            var bytes = new byte[random.Next(0, 400)];
            random.NextBytes(bytes);
            Engine().Inspect(new RequestSnapshot("POST", "/p?v=" + Uri.EscapeDataString(text), [new("Cookie", "c=" + text), new("X-Any", text)]) { Body = bytes });
        }
    }

    [Fact]
    public void Inspect_DoubleTheInput_AtMostDoubleTheWork()
    {
        static (int Points, long Decoded) Work(int n)
        {
            var detector = new MarkerDetector();
            var value = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"a\":\"%2527&#39;\\u0027\"}"));
            var query = string.Join('&', Enumerable.Range(0, n).Select(i => $"p{i}={Uri.EscapeDataString(value)}"));
            var result = new InspectionEngine([detector]).Inspect(new RequestSnapshot("GET", "/x?" + query, []));
            return (result.Points, detector.Seen.Sum(s => (long)s.Value.Length));
        }

        var small = Work(100);
        var large = Work(200);
        Assert.True(large.Points <= small.Points * 2.2);
        Assert.True(large.Decoded <= small.Decoded * 2.2);
    }

    private static InspectionEngine Engine() => InspectionEngine.CreateDefault();
}
