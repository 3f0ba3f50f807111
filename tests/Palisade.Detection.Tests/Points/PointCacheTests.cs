using System.Text;
using Palisade.Detection.Parsing;
using Palisade.Detection.Points;
using Palisade.Detection.Tests.Parsing;

namespace Palisade.Detection.Tests.Points;

/// <summary>Document points shared across requests: found again for the same shape, always named right.</summary>
public class PointCacheTests
{
    [Fact]
    public void Member_SameParentAndKey_SamePoint()
    {
        var first = PointCache.Member(Point.BodyJson, "customerEmail"u8);

        Assert.Same(first, PointCache.Member(Point.BodyJson, "customerEmail"u8));
        Assert.Equal("body.json.customerEmail", first.ToString());
    }

    [Fact]
    public void Member_SameKeyUnderAnotherParent_AnotherPoint()
    {
        var underJson = PointCache.Member(Point.BodyJson, "id"u8);
        var underXml = PointCache.Member(Point.BodyXml, "id"u8);

        Assert.NotSame(underJson, underXml);
        Assert.Equal("body.xml.id", underXml.ToString());
    }

    [Fact]
    public void Member_TextKey_SamePointAndRightName()
    {
        var first = PointCache.Member(Point.Query, "page".AsSpan());

        Assert.Same(first, PointCache.Member(Point.Query, "page".AsSpan()));
        Assert.Equal("query.page", first.ToString());
        Assert.NotSame(first, PointCache.Member(Point.Cookie, "page".AsSpan()));
    }

    [Fact]
    public void Parse_QueryAndCookieNames_SharedAndRight()
    {
        var first = new PointCollector();
        var second = new PointCollector();

        UrlEncodedParser.Parse("a%62=1&c+d=2", Point.Query, ValueSource.Query, first);
        UrlEncodedParser.Parse("a%62=1&c+d=2", Point.Query, ValueSource.Query, second);
        CookieHeaderParser.Parse("sid=1; theme=dark", first);
        CookieHeaderParser.Parse("sid=1; theme=dark", second);

        Assert.Equal(["query.ab", "query[\"c d\"]#name", "query[\"c d\"]", "cookie.sid", "cookie.theme"], first.Points.Select(p => p.ToString()));
        Assert.Same(first.Points[0], second.Points[0]);
        Assert.Same(first.Points[^1], second.Points[^1]);
    }

    [Fact]
    public void Item_SameParentAndIndex_SamePoint()
    {
        var items = PointCache.Member(Point.BodyJson, "items"u8);

        Assert.Same(PointCache.Item(items, 3), PointCache.Item(items, 3));
        Assert.Equal("body.json.items.3", PointCache.Item(items, 3).ToString());
        Assert.Equal("body.json.items.1000", PointCache.Item(items, 1000).ToString());
    }

    [Fact]
    public void Member_LongAndNonAsciiKeys_NamedRight()
    {
        var longKey = new string('k', 200);

        Assert.Equal(longKey, PointCache.Member(Point.BodyJson, Encoding.UTF8.GetBytes(longKey)).Segment);
        Assert.Equal("prénom", PointCache.Member(Point.BodyJson, "prénom"u8).Segment);
    }

    [Fact]
    public void Parse_SameShapeTwice_SharesPoints()
    {
        var body = """{"order":{"lines":[{"sku":"A"},{"sku":"B"}]}}"""u8.ToArray();
        var first = new PointCollector();
        var second = new PointCollector();

        JsonBodyParser.Parse(body, false, 64, Point.BodyJson, first);
        JsonBodyParser.Parse(body, false, 64, Point.BodyJson, second);

        Assert.Equal(["body.json.order.lines.0.sku", "body.json.order.lines.1.sku"], first.Points.Select(p => p.ToString()));
        Assert.All(first.Points.Zip(second.Points), pair => Assert.Same(pair.First, pair.Second));
    }

    [Fact]
    public void Parse_LargeDocument_SharesOnlyItsFirstPointsAndNamesAllRight()
    {
        // A large document would evict the small shapes an API sends; past its first points it makes its own.
        var json = new StringBuilder("[");
        for (var i = 0; i < 400; i++)
        {
            json.Append(i > 0 ? "," : "").Append($$$"""{"id":"o{{{i}}}","line":{"sku":"s{{{i}}}"}}""");
        }

        var body = Encoding.UTF8.GetBytes(json.Append(']').ToString());
        var first = new PointCollector();
        var second = new PointCollector();

        JsonBodyParser.Parse(body, false, 64, Point.BodyJson, first);
        JsonBodyParser.Parse(body, false, 64, Point.BodyJson, second);

        Assert.Equal(800, first.Points.Count);
        Assert.Equal("body.json.399.line.sku", first.Points[^1].ToString());
        // Two of the first points may share a slot (the hash is seeded per process), so most, not all, are shared.
        Assert.True(first.Points.Take(50).Zip(second.Points).Count(pair => ReferenceEquals(pair.First, pair.Second)) >= 25);
        Assert.DoesNotContain(first.Points.Skip(400).Zip(second.Points.Skip(400)), pair => ReferenceEquals(pair.First, pair.Second));
    }

    [Fact]
    public void Parse_EscapedKey_UnescapedInItsPoint()
    {
        var visitor = new RecordingVisitor();

        JsonBodyParser.Parse("""{"a\u0062":{"c":"1"}}"""u8, false, 64, Point.BodyJson, visitor);

        Assert.Equal(["body.json.ab.c=1"], visitor.Visits);
    }

    [Fact]
    public void Parse_UnderPerRequestParent_NamedRight()
    {
        // JSON found inside a parameter hangs from a point made for this request only.
        var visitor = new RecordingVisitor();
        var root = Point.Query.Key("doc").Decoded("json");

        JsonBodyParser.Parse("""{"a":["x",{"b":"y"}]}"""u8, false, 64, root, visitor);

        Assert.Equal(["query.doc|json.a.0=x", "query.doc|json.a.1.b=y"], visitor.Visits);
    }

    [Fact]
    public void Parse_ManyThreadsManyInventedKeys_EveryPointRight()
    {
        // Invented keys evict one another from the shared slots; no point may ever carry another key's name.
        Parallel.For(0, 4, thread =>
        {
            for (var i = 0; i < 5000; i++)
            {
                var key = $"k{thread}_{i % 3000}";
                var visitor = new RecordingVisitor();
                JsonBodyParser.Parse(Encoding.UTF8.GetBytes($$$"""{"{{{key}}}":{"n":["v"]}}"""), false, 64, Point.BodyJson, visitor);
                Assert.Equal([$"body.json.{key}.n.0=v"], visitor.Visits);
            }
        });
    }

    private sealed class PointCollector : IPointVisitor
    {
        public List<Point> Points { get; } = [];

        public void Visit(Point point, ReadOnlySpan<char> value, in ValueOrigin origin) => Points.Add(point);
    }

    [Theory]
    [InlineData("customerEmail", true)]
    [InlineData("items[0].name", true)]
    [InlineData("$where", false)]
    [InlineData("__proto__", false)]
    [InlineData("class.module.classLoader", false)]
    [InlineData("rO0ABXNy", false)]
    public void IsPlainName_OfASharedPoint_AgreesWithKeyNamesEveryTime(string key, bool plain)
    {
        // The answer is kept on the shared point: the second request reads it, and must read the same.
        var point = PointCache.Member(Point.Query, key.AsSpan());
        Assert.Equal(KeyNames.IsPlain(key), point.IsPlainName);
        Assert.Equal(plain, point.IsPlainName);
        Assert.Equal(plain, PointCache.Member(Point.Query, key.AsSpan()).IsPlainName);
        Assert.Equal(plain, PointCache.Member(Point.BodyJson, Encoding.UTF8.GetBytes(key)).IsPlainName);
    }
}
