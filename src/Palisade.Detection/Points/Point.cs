using System.Text;

namespace Palisade.Detection.Points;

/// <summary>
/// Where a value sits in a request, as a readable path: <c>query.id</c>, <c>path.2</c>,
/// <c>header.user-agent</c>, <c>cookie.sid</c>, <c>body.json.user.emails.0</c>, <c>query.q|percent</c>,
/// <c>query.id#name</c> (the parameter's name, not its value).
/// Points form a chain to their parent; the text is built only when someone asks for it.
/// </summary>
public sealed class Point
{
    private static uint _lastIdentity;

    private string? _text;

    // Whether the segment is a plain name (KeyNames.IsPlain): 0 not yet known, 1 plain, 2 not. A shared point stands
    // for the same name on every request, so the name is judged once, not per request.
    private int _plainName;

    private Point(Point? parent, PointSegmentKind kind, string segment)
    {
        Parent = parent;
        Kind = kind;
        Segment = segment;
        Depth = parent is null ? 0 : parent.Depth + 1;

        // Only a hash seed: two threads that read the same counter give two points the same seed, which costs a
        // shared slot and nothing else, so no atomic increment is paid per point.
        Identity = unchecked(++_lastIdentity * 0x9E3779B9u);
    }

    public static Point Path { get; } = Root("path");

    public static Point Query { get; } = Root("query");

    public static Point Header { get; } = Root("header");

    public static Point Cookie { get; } = Root("cookie");

    public static Point BodyRaw { get; } = Root("body.raw");

    public static Point BodyForm { get; } = Root("body.form");

    public static Point BodyJson { get; } = Root("body.json");

    public static Point BodyMultipart { get; } = Root("body.multipart");

    public static Point BodyXml { get; } = Root("body.xml");

    public Point? Parent { get; }

    public PointSegmentKind Kind { get; }

    /// <summary>The last segment: a root name, key, index, decoder name, or <c>name</c>.</summary>
    public string Segment { get; }

    /// <summary>Number of segments above this one.</summary>
    public int Depth { get; }

    /// <summary>A well-spread number for this instance, the seed of <see cref="PointCache"/>'s hashes (cheaper than the runtime's identity hash).</summary>
    internal uint Identity { get; }

    /// <summary>The root this point hangs from.</summary>
    public Point RootPoint
    {
        get
        {
            var p = this;
            while (p.Parent is not null)
            {
                p = p.Parent;
            }

            return p;
        }
    }

    /// <summary>True when the segment, as a member name, is plain (<see cref="Parsing.KeyNames.IsPlain"/>); judged once per point.</summary>
    internal bool IsPlainName
    {
        get
        {
            // Racing threads compute the same answer; an int is written whole.
            var plain = _plainName;
            if (plain == 0)
            {
                plain = Parsing.KeyNames.IsPlain(Segment) ? 1 : 2;
                _plainName = plain;
            }

            return plain == 1;
        }
    }

    public static Point Root(string name) => new(null, PointSegmentKind.Root, name);

    public Point Key(string key) => new(this, PointSegmentKind.Key, key);

    public Point Index(int index) => new(this, PointSegmentKind.Index, IndexText(index));

    public Point NameOf() => new(this, PointSegmentKind.Name, "name");

    public Point Decoded(string decoder) => new(this, PointSegmentKind.Decoded, decoder);

    /// <summary>True when this point or an ancestor is a member with the given key (case-insensitive).</summary>
    public bool HasKeyInPath(Func<string, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        for (var p = this; p is not null; p = p.Parent)
        {
            if (p.Kind == PointSegmentKind.Key && predicate(p.Segment))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => _text ??= Build();

    private string Build()
    {
        var chain = new Point[Depth + 1];
        var p = this;
        for (var i = Depth; i >= 0; i--)
        {
            chain[i] = p!;
            p = p!.Parent;
        }

        var sb = new StringBuilder();
        foreach (var segment in chain)
        {
            switch (segment.Kind)
            {
                case PointSegmentKind.Root:
                    sb.Append(segment.Segment);
                    break;
                case PointSegmentKind.Key:
                    AppendKey(sb, segment.Segment);
                    break;
                case PointSegmentKind.Index:
                    sb.Append('.').Append(segment.Segment);
                    break;
                case PointSegmentKind.Name:
                    sb.Append('#').Append(segment.Segment);
                    break;
                case PointSegmentKind.Decoded:
                    sb.Append('|').Append(segment.Segment);
                    break;
            }
        }

        return sb.ToString();
    }

    private static void AppendKey(StringBuilder sb, string key)
    {
        if (key.Length > 0 && key.AsSpan().IndexOfAny(PointText.Reserved) < 0)
        {
            sb.Append('.').Append(key);
            return;
        }

        // Keys that would make the path ambiguous are quoted: body.json["a.b"].
        sb.Append("[\"");
        foreach (var c in key.AsSpan(0, Math.Min(key.Length, PointText.MaxKeyLength)))
        {
            if (c is '"' or '\\')
            {
                sb.Append('\\');
            }

            sb.Append(char.IsControl(c) ? '?' : c);
        }

        if (key.Length > PointText.MaxKeyLength)
        {
            sb.Append('…');
        }

        sb.Append("\"]");
    }

    private static string IndexText(int index) =>
        (uint)index < (uint)PointText.SmallIndexes.Length ? PointText.SmallIndexes[index] : index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
