using Palisade.Detection.Points;

namespace Palisade.Detection.Engine;

/// <summary>
/// The roots a body's points hang from: <c>body.json</c>, <c>body.form</c>... for the body as sent, and
/// <c>body|gzip.json</c>, <c>body|gzip.form</c>... for a body whose <c>Content-Encoding</c> was undone.
/// </summary>
internal sealed record BodyRoots(Point Raw, Point Form, Point Json, Point Multipart, Point Xml)
{
    private static readonly Dictionary<string, BodyRoots> Common = new(StringComparer.Ordinal)
    {
        ["gzip"] = Coded("gzip"),
        ["x-gzip"] = Coded("x-gzip"),
        ["deflate"] = Coded("deflate"),
        ["br"] = Coded("br"),
    };

    public static BodyRoots Plain { get; } = new(Point.BodyRaw, Point.BodyForm, Point.BodyJson, Point.BodyMultipart, Point.BodyXml);

    /// <summary>The roots for a body decoded from <paramref name="coding"/> (<c>gzip</c>, <c>br|gzip</c>).</summary>
    public static BodyRoots For(string coding) => Common.TryGetValue(coding, out var roots) ? roots : Coded(coding);

    private static BodyRoots Coded(string coding) => new(
        Point.Root($"body|{coding}.raw"),
        Point.Root($"body|{coding}.form"),
        Point.Root($"body|{coding}.json"),
        Point.Root($"body|{coding}.multipart"),
        Point.Root($"body|{coding}.xml"));
}
