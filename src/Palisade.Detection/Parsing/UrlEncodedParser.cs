using Palisade.Detection.Points;

namespace Palisade.Detection.Parsing;

/// <summary>
/// Splits <c>application/x-www-form-urlencoded</c> text (a query string or a form body) into its pairs:
/// <c>a=1&amp;b=2&amp;a=3</c> gives <c>.a</c>, <c>.b</c>, <c>.a</c> again (duplicate keys keep every value).
/// Keys and values are percent-decoded with <c>+</c> as space. A name that is not a plain identifier is
/// itself visited as a <c>#name</c> point; a pair without <c>=</c> is a name only. A name given several values is
/// also visited once with them joined by commas (<c>.a|joined</c>), the string ASP.NET and classic ASP hand an
/// application for it, so a payload split across the values (HTTP parameter pollution) is seen whole.
/// </summary>
public static class UrlEncodedParser
{
    public static void Parse(ReadOnlySpan<char> text, Point root, ValueSource source, IPointVisitor visitor)
    {
        ArgumentNullException.ThrowIfNull(root);

        // Names under a root (query.NAME, body.form.NAME) come back on every request: their points are shared.
        ParsePairs(text, root, source, visitor, sharedRoot: root.Parent is null);
    }

    /// <summary>
    /// Parses as <see cref="Parse"/> does and tells whether every pair has a plain name (decoded), the shape of a
    /// well-formed list of pairs: what the engine would otherwise learn by decoding the names again.
    /// </summary>
    /// <param name="text">The pairs.</param>
    /// <param name="root">The point the names hang from.</param>
    /// <param name="source">Where the text comes from.</param>
    /// <param name="visitor">Receives every name and value.</param>
    /// <param name="sharedRoot">
    /// True when <paramref name="root"/> outlives the request (a root, or a header's <c>|query</c> point kept in its
    /// plan), so the points of its names are worth sharing across requests.
    /// </param>
    internal static bool ParsePairs(ReadOnlySpan<char> text, Point root, ValueSource source, IPointVisitor visitor, bool sharedRoot)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(visitor);
        var origin = new ValueOrigin(source);
        var nameOrigin = origin with { IsName = true };
        var allPlain = true;
        var all = text;
        var repeats = new RepeatedNames(stackalloc int[RepeatedNames.Inline]);
        while (!text.IsEmpty)
        {
            var amp = text.IndexOf('&');
            var pair = amp < 0 ? text : text[..amp];
            text = amp < 0 ? [] : text[(amp + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            var eq = pair.IndexOf('=');
            var rawKey = eq < 0 ? pair : pair[..eq];
            var decodedKey = PercentDecoder.Decode(rawKey, plusAsSpace: true);
            var key = decodedKey is null ? rawKey : decodedKey.AsSpan();
            repeats.Add(key);
            var point = sharedRoot ? PointCache.Member(root, key) : root.Key(decodedKey ?? key.ToString());
            var plain = point.IsPlainName;
            allPlain &= plain;
            if (eq < 0 || !plain)
            {
                visitor.Visit(point.NameOf(), key, nameOrigin);
            }

            if (eq >= 0)
            {
                var rawValue = pair[(eq + 1)..];
                var decoded = PercentDecoder.Decode(rawValue, plusAsSpace: true);
                visitor.Visit(point, decoded ?? rawValue, origin);
            }
        }

        if (repeats.Any)
        {
            VisitJoined(all, root, origin, visitor, sharedRoot);
        }

        return allPlain;
    }

    // Only when some name may repeat (rare outside arrays): group the values by name and visit each group of two
    // or more joined with commas.
    private static void VisitJoined(ReadOnlySpan<char> text, Point root, ValueOrigin origin, IPointVisitor visitor, bool sharedRoot)
    {
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var range in text.Split('&'))
        {
            var pair = text[range];
            var eq = pair.IndexOf('=');
            if (pair.IsEmpty || eq < 0)
            {
                continue;
            }

            var rawKey = pair[..eq];
            var key = PercentDecoder.Decode(rawKey, plusAsSpace: true) ?? rawKey.ToString();
            var rawValue = pair[(eq + 1)..];
            var value = PercentDecoder.Decode(rawValue, plusAsSpace: true) ?? rawValue.ToString();
            if (!groups.TryGetValue(key, out var values))
            {
                groups[key] = values = [];
                order.Add(key);
            }

            values.Add(value);
        }

        foreach (var key in order)
        {
            var values = groups[key];
            if (values.Count > 1)
            {
                var point = sharedRoot ? PointCache.Member(root, key) : root.Key(key);
                visitor.Visit(point.Decoded("joined"), string.Join(',', values), origin);
            }
        }
    }

    // Remembers the hashes of the first names; a repeated hash means a name may repeat. Past the inline slots every
    // further name is checked against a set.
    private ref struct RepeatedNames(Span<int> inline)
    {
        public const int Inline = 32;

        private readonly Span<int> _inline = inline;
        private int _count;
        private HashSet<int>? _more;

        public bool Any { get; private set; }

        public void Add(ReadOnlySpan<char> name)
        {
            if (Any)
            {
                return;
            }

            var hash = string.GetHashCode(name, StringComparison.Ordinal);
            if (_inline[.._count].Contains(hash) || (_more is not null && !_more.Add(hash)))
            {
                Any = true;
            }
            else if (_count < _inline.Length)
            {
                _inline[_count++] = hash;
            }
            else
            {
                _more ??= [];
                _more.Add(hash);
            }
        }
    }
}
