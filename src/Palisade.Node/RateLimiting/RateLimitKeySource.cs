using System.Buffers;
using System.Globalization;

namespace Palisade.Node.RateLimiting;

/// <summary>
/// The key a rule counts by, as written in configuration: <c>ip</c>, <c>header:NAME</c>, <c>cookie:NAME</c>,
/// <c>json:a.b.c</c> or <c>jwt:CLAIM</c>. Two sources are equal when their kind and name are.
/// </summary>
public sealed record RateLimitKeySource
{
    private static readonly SearchValues<char> NotInNames = SearchValues.Create(" \t;,=\"");

    private readonly string[] _segments;

    private RateLimitKeySource(RateLimitKeyKind kind, string name)
    {
        Kind = kind;
        Name = name;
        _segments = kind is RateLimitKeyKind.Json or RateLimitKeyKind.Jwt ? name.Split('.') : [];
    }

    /// <summary>The client address.</summary>
    public static RateLimitKeySource Ip { get; } = new(RateLimitKeyKind.Ip, "");

    public RateLimitKeyKind Kind { get; }

    /// <summary>The header, cookie or claim name, or the dotted JSON path; empty for <see cref="RateLimitKeyKind.Ip"/>.</summary>
    public string Name { get; }

    /// <summary>The dotted path split at its dots (JSON and JWT sources).</summary>
    internal ReadOnlySpan<string> Segments => _segments;

    /// <summary>Reads <c>ip</c>, <c>header:x-api-key</c>, <c>cookie:session</c>, <c>json:user.login</c>, <c>jwt:sub</c>.</summary>
    /// <exception cref="FormatException">The text is none of these.</exception>
    public static RateLimitKeySource Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        if (value.Equals("ip", StringComparison.OrdinalIgnoreCase))
        {
            return Ip;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var prefix = colon < 0 ? value : value[..colon].ToLowerInvariant();
        var name = colon < 0 ? "" : value[(colon + 1)..].Trim();
        RateLimitKeyKind? kind = prefix switch
        {
            "header" => RateLimitKeyKind.Header,
            "cookie" => RateLimitKeyKind.Cookie,
            "json" => RateLimitKeyKind.Json,
            "jwt" => RateLimitKeyKind.Jwt,
            _ => null,
        };
        if (kind is null || colon < 0)
        {
            throw new FormatException($"'{text}' is not a key: use ip, header:NAME, cookie:NAME, json:a.b.c or jwt:CLAIM");
        }

        if (name.Length == 0 || name.AsSpan().ContainsAny(NotInNames) || (kind is RateLimitKeyKind.Json or RateLimitKeyKind.Jwt && name.Split('.').Any(s => s.Length == 0)))
        {
            throw new FormatException($"'{text}' has an empty or invalid name after '{prefix}:'");
        }

        // Header names are case-insensitive: keep them in one spelling so equal rules compare equal.
        return new RateLimitKeySource(kind.Value, kind == RateLimitKeyKind.Header ? name.ToLowerInvariant() : name);
    }

    public bool Equals(RateLimitKeySource? other) =>
        other is not null && Kind == other.Kind && string.Equals(Name, other.Name, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Kind, Name);

    public override string ToString() => Kind switch
    {
        RateLimitKeyKind.Ip => "ip",
        _ => string.Create(CultureInfo.InvariantCulture, $"{Kind.ToString().ToLowerInvariant()}:{Name}"),
    };
}
