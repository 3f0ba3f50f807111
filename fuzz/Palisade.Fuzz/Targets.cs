using System.Buffers;
using System.Text;
using Palisade.Detection.Engine;
using Palisade.Detection.Parsing;
using Palisade.Detection.Points;
using Palisade.Detection.Snapshots;
using Palisade.Node.FrontDoor;

namespace Palisade.Fuzz;

/// <summary>The fuzz targets by name: each takes one input and must return normally whatever it is.</summary>
internal static class Targets
{
    // Instrumented code may only run once SharpFuzz has mapped AFL's shared memory: the engine is made on first use.
    private static readonly Lazy<InspectionEngine> Engine = new(() => InspectionEngine.CreateDefault());

    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
    {
        ["front-door"] = FrontDoor,
        ["json"] = bytes => JsonBodyParser.Parse(bytes, isPrefix: false, maxDepth: 512, Point.BodyJson, NullVisitor.Instance),
        ["multipart"] = Multipart,
        ["xml"] = bytes => XmlBodyParser.Parse(bytes, maxDepth: 64, NullVisitor.Instance),
        ["form"] = bytes => UrlEncodedParser.Parse(Encoding.UTF8.GetString(bytes), Point.BodyForm, ValueSource.Form, NullVisitor.Instance),
        ["decoders"] = Decoders,
        ["engine"] = EngineTarget,
    };

    // The bytes as a connection's input, split in two reads at a point the input chooses, so the incremental paths
    // (a line cut between reads) are taken too; what is released can never exceed what arrived.
    private static void FrontDoor(byte[] bytes)
    {
        var validator = new Http1StreamValidator(new FrontDoorLimits(), () => bytes.Length > 0 && bytes[0] == (byte)'G');
        var split = bytes.Length == 0 ? 0 : bytes[^1] % (bytes.Length + 1);
        var released = validator.Advance(new ReadOnlySequence<byte>(bytes, 0, split));
        released += validator.Advance(new ReadOnlySequence<byte>(bytes, (int)released, bytes.Length - (int)released));
        if (released < 0 || released > bytes.Length)
        {
            throw new InvalidOperationException($"released {released} of {bytes.Length} bytes");
        }
    }

    // The first line is the boundary, the rest the body.
    private static void Multipart(byte[] bytes)
    {
        var newline = Array.IndexOf(bytes, (byte)'\n');
        var boundary = newline <= 0 ? "B" : Encoding.Latin1.GetString(bytes, 0, newline).Trim();
        MultipartBodyParser.Parse(newline < 0 ? bytes : bytes.AsSpan(newline + 1), boundary.Length == 0 ? "B" : boundary, 64, NullVisitor.Instance);
    }

    private static void Decoders(byte[] bytes)
    {
        var text = Encoding.UTF8.GetString(bytes);
        PercentDecoder.Decode(text, plusAsSpace: true);
        PercentDecoder.Decode(text, plusAsSpace: false);
        Base64TextDecoder.Decode(text);
        JsEscapeDecoder.Decode(text);
        JwtDecoder.TryDecode(text, out _, out _);
        CookieHeaderParser.Parse(text, NullVisitor.Instance);
        PathParser.Parse(text, NullVisitor.Instance);
        ContentDecoder.Decode(bytes, "gzip", 1 << 20, 100, out _, out _);
        ContentDecoder.Decode(bytes, "deflate", 1 << 20, 100, out _, out _);
        UnicodeBody.TryTranscode(bytes, out _);
    }

    // A whole request: the first line is the target, the second a header value (a cookie), the rest the body,
    // whose type the first byte picks.
    private static void EngineTarget(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var lines = text.Split('\n', 3);
        var target = "/" + (lines.Length > 0 ? lines[0] : "");
        var cookie = lines.Length > 1 ? lines[1] : "";
        var body = lines.Length > 2 ? Encoding.Latin1.GetBytes(lines[2]) : [];
        var contentType = (bytes.Length > 0 ? bytes[0] % 5 : 0) switch
        {
            0 => "application/json",
            1 => "application/x-www-form-urlencoded",
            2 => "multipart/form-data; boundary=B",
            3 => "application/xml",
            _ => "text/plain",
        };
        var snapshot = new RequestSnapshot("POST", target, [new("Host", "fuzz.example"), new("Cookie", cookie), new("Content-Type", contentType)])
        {
            Body = body,
        };
        Engine.Value.Inspect(snapshot);
    }

    private sealed class NullVisitor : IPointVisitor
    {
        public static readonly NullVisitor Instance = new();

        public void Visit(Point point, ReadOnlySpan<char> value, in ValueOrigin origin)
        {
        }
    }
}
