using System.Text;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Rules;

/// <summary>
/// The request path as routes and rules see it: the path the application would resolve, whatever spelling the
/// client chose. Percent-escapes are undone until none is left (at most <see cref="MaxDecodeRounds"/> rounds),
/// backslashes are slashes, path parameters (<c>;jsessionid=..</c>, <c>..;</c>) are dropped, empty and <c>.</c>
/// segments vanish and <c>..</c> climbs (never above the root). <c>/a/../admin</c>, <c>/a/%2e%2e/admin</c>,
/// <c>/a/..;/admin</c>, <c>//admin</c> and <c>/admin/.</c> are all <c>/admin</c> (with a trailing slash for the
/// last). The raw target still goes to the application unchanged; this form is only compared against.
/// <para>
/// Servers do not agree on these spellings: Tomcat drops <c>..;</c>'s parameter and climbs, Kestrel and nginx keep
/// <c>..;</c> as a name; IIS takes <c>\</c> for <c>/</c>, others do not; a proxy decodes once, a framework twice.
/// <see cref="Value"/> is the most resolving reading and <see cref="Literal"/> the least (one decoding round
/// that leaves <c>%2F</c> alone, then dot segments, as Kestrel does), and <see cref="Raw"/> is the target as sent,
/// for routers that match it undecoded (Node's <c>http</c>, Express). When they differ the path is
/// <see cref="IsAmbiguous"/>, and whatever relaxes inspection (a lax route, an allow rule, an exclusion) must hold
/// under every reading, while whatever tightens it (a virtual patch, a rate limit) holds under any: an
/// application in between cannot be reached through a spelling that the node resolved elsewhere.
/// </para>
/// </summary>
public sealed class RulePath
{
    public const int MaxDecodeRounds = 4;

    private string? _lower;

    private string? _lowerLiteral;

    private string? _lowerRaw;

    private RulePath(string value, string literal, string raw, int decodeRounds)
    {
        Value = value;
        Literal = literal;
        Raw = raw;
        DecodeRounds = decodeRounds;
    }

    /// <summary>The normalised path, always starting with <c>/</c>: the most resolving reading.</summary>
    public string Value { get; }

    /// <summary>
    /// The least resolving reading: percent-escapes undone once except <c>%2F</c>, then <c>.</c> and <c>..</c>
    /// segments resolved; empty segments, backslashes and <c>;</c> parameters are kept as they are. The same
    /// string as <see cref="Value"/> when the path is plain.
    /// </summary>
    public string Literal { get; }

    /// <summary>
    /// The path exactly as the client sent it, neither decoded nor resolved: what routers that match the raw
    /// target see (Node's <c>http</c>, Express, Starlette, chi). The same string as <see cref="Value"/> when plain.
    /// </summary>
    public string Raw { get; }

    /// <summary>True when the readings differ: routes and rules must agree under all of them (see the type's remarks).</summary>
    public bool IsAmbiguous =>
        (!ReferenceEquals(Value, Literal) && !string.Equals(Value, Literal, StringComparison.Ordinal))
        || (!ReferenceEquals(Value, Raw) && !string.Equals(Value, Raw, StringComparison.Ordinal));

    /// <summary>How many rounds of percent-decoding changed the path; more than one is multiple URL encoding.</summary>
    public int DecodeRounds { get; }

    public bool MultipleEncoded => DecodeRounds > 1;

    /// <summary>The normalised path in ASCII lower case, for routes and rules that ignore case.</summary>
    public string LowerValue => _lower ??= Value.ToLowerInvariant();

    /// <summary><see cref="Literal"/> in ASCII lower case.</summary>
    public string LowerLiteral => _lowerLiteral ??= ReferenceEquals(Literal, Value) ? LowerValue : Literal.ToLowerInvariant();

    /// <summary>The reading asked for, in lower case when <paramref name="ignoreCase"/>.</summary>
    public string Read(PathReading reading, bool ignoreCase) => reading switch
    {
        PathReading.Literal => ignoreCase ? LowerLiteral : Literal,
        PathReading.Raw => ignoreCase ? _lowerRaw ??= ReferenceEquals(Raw, Value) ? LowerValue : Raw.ToLowerInvariant() : Raw,
        _ => ignoreCase ? LowerValue : Value,
    };

    public static RulePath Normalize(ReadOnlySpan<char> rawPath)
    {
        // Most paths are already in normal form: no escape, backslash, parameter, empty or dot segment.
        if (IsPlain(rawPath))
        {
            var plain = rawPath.ToString();
            return new RulePath(plain, plain, plain, 0);
        }

        var text = rawPath.ToString();
        var rounds = 0;
        while (rounds < MaxDecodeRounds && PercentDecoder.NeedsDecoding(text, plusAsSpace: false))
        {
            var decoded = PercentDecoder.Decode(text, plusAsSpace: false);
            if (decoded is null || decoded == text)
            {
                break;
            }

            text = decoded;
            rounds++;
        }

        var value = Resolve(text);
        var literal = ReadLiterally(rawPath);
        var raw = rawPath.ToString();
        return new RulePath(value, literal == value ? value : literal, raw == value ? value : raw, rounds);
    }

    public override string ToString() => Value;

    private static bool IsPlain(ReadOnlySpan<char> path)
    {
        if (path.IsEmpty || path[0] != '/' || path.ContainsAny(Unusual))
        {
            return false;
        }

        // No empty segment ("//") and no dot segment ("/." or "/.." followed by '/' or the end).
        for (var i = 0; i < path.Length - 1; i++)
        {
            if (path[i] == '/' && (path[i + 1] == '/' || (path[i + 1] == '.' && (i + 2 == path.Length || path[i + 2] == '/' || (path[i + 2] == '.' && (i + 3 == path.Length || path[i + 3] == '/'))))))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One round of percent-decoding that keeps <c>%2F</c>, then RFC 3986 dot-segment removal.</summary>
    private static string ReadLiterally(ReadOnlySpan<char> rawPath)
    {
        if (rawPath.IsEmpty || rawPath[0] != '/')
        {
            return rawPath.ToString();
        }

        var decoded = DecodeOnceKeepingSlashes(rawPath);
        var segments = new List<string>();
        var trailingSlash = false;
        foreach (var segment in decoded[1..].Split('/'))
        {
            trailingSlash = segment is "." or "..";
            if (segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(segment);
        }

        var builder = new StringBuilder(decoded.Length + 1);
        foreach (var segment in segments)
        {
            builder.Append('/').Append(segment);
        }

        if (trailingSlash || builder.Length == 0)
        {
            builder.Append('/');
        }

        return builder.ToString();
    }

    /// <summary>
    /// <c>%XX</c> escapes to bytes, read as UTF-8, as Kestrel's decoder does: <c>%2F</c> stays escaped (a slash
    /// the client hid is not a separator to Kestrel), and so do malformed escapes and every escaped byte that is
    /// not part of a valid UTF-8 sequence (<c>/a/%ff/%2e%2e/b</c> is <c>/a/%ff/../b</c>, then <c>/a/b</c>).
    /// </summary>
    private static string DecodeOnceKeepingSlashes(ReadOnlySpan<char> path)
    {
        if (!path.Contains('%'))
        {
            return path.ToString();
        }

        var text = new StringBuilder(path.Length);
        Span<byte> run = path.Length <= 1024 ? stackalloc byte[path.Length / 3 + 1] : new byte[path.Length / 3 + 1];
        var i = 0;
        while (i < path.Length)
        {
            // A run of consecutive escapes (not %2F) is decoded as one UTF-8 byte sequence.
            var start = i;
            var count = 0;
            while (IsEscape(path, i) && Escaped(path, i) != (byte)'/')
            {
                run[count++] = Escaped(path, i);
                i += 3;
            }

            if (count == 0)
            {
                text.Append(path[i]);
                i++;
                continue;
            }

            var bytes = run[..count];
            var offset = 0;
            while (offset < bytes.Length)
            {
                if (Rune.DecodeFromUtf8(bytes[offset..], out var rune, out var consumed) == System.Buffers.OperationStatus.Done)
                {
                    text.Append(rune.ToString());
                    offset += consumed;
                }
                else
                {
                    // Not UTF-8: the byte keeps its escape, as written.
                    text.Append(path.Slice(start + (offset * 3), 3));
                    offset++;
                }
            }
        }

        return text.ToString();
    }

    private static bool IsEscape(ReadOnlySpan<char> path, int i) =>
        i + 2 < path.Length && path[i] == '%' && char.IsAsciiHexDigit(path[i + 1]) && char.IsAsciiHexDigit(path[i + 2]);

    private static byte Escaped(ReadOnlySpan<char> path, int i) => (byte)((HexValue(path[i + 1]) << 4) | HexValue(path[i + 2]));

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static readonly System.Buffers.SearchValues<char> Unusual = System.Buffers.SearchValues.Create("%\\;");

    private static string Resolve(string path)
    {
        var segments = new List<string>();
        var trailingSlash = false;
        foreach (var raw in path.Replace('\\', '/').Split('/'))
        {
            var semicolon = raw.IndexOf(';', StringComparison.Ordinal);
            var segment = semicolon < 0 ? raw : raw[..semicolon];
            trailingSlash = segment is "" or "." or "..";
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(segment);
        }

        if (segments.Count == 0)
        {
            return "/";
        }

        var builder = new StringBuilder(path.Length + 1);
        foreach (var segment in segments)
        {
            builder.Append('/').Append(segment);
        }

        if (trailingSlash)
        {
            builder.Append('/');
        }

        return builder.ToString();
    }
}
