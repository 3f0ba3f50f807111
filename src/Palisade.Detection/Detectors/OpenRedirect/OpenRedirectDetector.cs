using System.Buffers;
using Palisade.Detection.Detectors.Ssrf;
using Palisade.Detection.Detectors.Xss;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Detectors.OpenRedirect;

/// <summary>
/// Detects open redirect payloads: values that a redirect filter would take for a local path or a trusted URL,
/// but a browser follows to another site. The detector sees only the value, not the parameter's name, so it
/// judges the URL itself: plain absolute URLs (<c>https://example.com/page</c>) and plain protocol-relative ones
/// (<c>//cdn.example.com/x</c>) are everywhere in benign traffic and pass; what is flagged are the forms that only
/// make sense as a filter bypass.
/// </summary>
/// <remarks>
/// <para>The value is folded first as a browser reads a URL: tabs and line breaks vanish, backslashes are
/// slashes, one round of percent-decoding for separators and control characters. Then:</para>
/// <list type="bullet">
/// <item>a leading run of three or more slashes, or of two that were disguised (<c>/\evil</c>, <c>/%09/evil</c>),
/// or a protocol-relative URL carrying credentials, dot segments or a second scheme;</item>
/// <item>a web scheme followed by anything but exactly two slashes (<c>https:evil.com</c>, <c>http:/\/\evil</c>);</item>
/// <item>an absolute URL behind a single slash (<c>/https://evil.com</c>), or look-alike slash characters;</item>
/// <item>an authority that fools filters: credentials shaped like a host (<c>https://trusted.com@evil.com</c>),
/// <c>#@</c> <c>?@</c> <c>\@</c> splits, IP addresses in hex, octal or integer form, characters no host holds;</item>
/// <item>encoded dot segments after the host (<c>//evil.com/%2f..</c>), a second URL as the path, a
/// percent-encoded scheme or host.</item>
/// </list>
/// </remarks>
public sealed class OpenRedirectDetector : IDetector
{
    private const int StackChars = 512;

    private const int Score = 70;

    private const string TriggersText = "/\\:\u3002\uFF61\u3031\u3035\u309D\u30FC\uFF70";

    private static readonly SearchValues<char> Triggers = SearchValues.Create(TriggersText);

    private static readonly CharacterMask TriggerMask = CharacterMask.Of(TriggersText);

    private static readonly SearchValues<char> FoldChars = SearchValues.Create("%\t\n\r\\\0");

    public string Id => "open_redirect.url";

    public AttackType AttackType => AttackType.OpenRedirect;

    public string RequiredCharacters => TriggersText;

    public bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match)
    {
        match = default;
        if (origin.IsName || !origin.Characters.ContainsAny(value, TriggerMask, Triggers))
        {
            return false;
        }

        var raw = value.Trim();
        var stripped = false;
        if (raw.StartsWith("<>", StringComparison.Ordinal) || raw.StartsWith("/<>", StringComparison.Ordinal))
        {
            // Empty markup that filters strip and browsers ignore.
            raw = raw[(raw.IndexOf('>') + 1)..];
            stripped = true;
        }

        // Folding only changes escapes, tabs, line breaks, backslashes and NULs: a value without any is its own fold.
        var plain = !raw.ContainsAny(FoldChars);
        using var scratch = new TextScratch(plain ? default : stackalloc char[StackChars]);
        var disguised = false;
        scoped ReadOnlySpan<char> folded = raw;
        if (!plain)
        {
            var buffer = scratch.Get(raw.Length);
            folded = buffer[..Fold(raw, buffer, out disguised)];
        }

        var reason = Judge(raw, folded, disguised || stripped, origin.Source == ValueSource.Path) ?? JudgeText(raw);
        if (reason is null)
        {
            return false;
        }

        match = new DetectorMatch(reason, 0, value.Length, Score);
        return true;
    }

    private static string? Judge(ReadOnlySpan<char> raw, ReadOnlySpan<char> url, bool disguised, bool isPath)
    {
        if (url.IsEmpty)
        {
            return null;
        }

        var lead = url[0] == '/' && url.Length > 1 ? url[1..] : url;
        if (lead[0] is '\u3031' or '\u3035' or '\u309D' or '\u30FC' or '\uFF70' && lead.Length > 1 && char.IsAsciiLetterOrDigit(lead[1]))
        {
            return OpenRedirectReasons.LookAlikeSlash;
        }

        var slashes = UrlReader.SkipSlashes(url);
        if (slashes >= 2)
        {
            return JudgeProtocolRelative(raw, url[slashes..], slashes, disguised || isPath);
        }

        if (slashes == 1)
        {
            var schemeAfterSlash = UrlReader.SchemeLength(url[1..]);
            if (schemeAfterSlash > 0 && IsWebScheme(url[1..(1 + schemeAfterSlash)]))
            {
                // In a request path, "/https://cdn.example.com/x.png" is how image proxies are addressed.
                return !isPath || IsBareSite(url[(2 + schemeAfterSlash)..]) ? OpenRedirectReasons.UrlAfterSlash : Judge(raw, url[1..], disguised, false);
            }

            if (isPath && EscapedLetters(raw[1..]) >= 4)
            {
                return OpenRedirectReasons.EncodedScheme;
            }

            var firstSegment = url[1..];
            var segmentEnd = firstSegment.IndexOf('/');
            return segmentEnd > 0 && firstSegment[..segmentEnd].Contains('.') && (HasEncodedDots(raw) || HasDotSegment(firstSegment[segmentEnd..])) ? OpenRedirectReasons.DotSegmentsAfterHost : null;
        }

        var schemeLength = UrlReader.SchemeLength(url);
        if (schemeLength == "javascript".Length && url[..schemeLength].Equals("javascript", StringComparison.OrdinalIgnoreCase)
            && url[(schemeLength + 1)..].StartsWith("//", StringComparison.Ordinal))
        {
            // "javascript://trusted.com?%0aalert(1)": a script URL dressed as a network URL to pass a host check.
            return OpenRedirectReasons.ScriptUrlWithAuthority;
        }

        if (schemeLength == 0 || !IsWebScheme(url[..schemeLength]))
        {
            return EncodedSchemeOrNull(raw);
        }

        var rest = url[(schemeLength + 1)..];
        var restSlashes = UrlReader.SkipSlashes(rest);
        if (restSlashes == rest.Length)
        {
            return null;
        }

        if (restSlashes != 2 || disguised)
        {
            return OpenRedirectReasons.MalformedSchemeSlashes;
        }

        return JudgeAuthority(raw, rest[2..]);
    }

    private static string? JudgeProtocolRelative(ReadOnlySpan<char> raw, ReadOnlySpan<char> rest, int slashes, bool disguised)
    {
        if (rest.IsEmpty || !(char.IsAsciiLetterOrDigit(rest[0]) || rest[0] is '[' or '%' or ';' or '@' || rest[0] > 0x7F))
        {
            return null;
        }

        var schemeLength = UrlReader.SchemeLength(rest);
        if (schemeLength > 0 && (IsWebScheme(rest[..schemeLength]) || rest[..schemeLength].Equals("javascript", StringComparison.OrdinalIgnoreCase)))
        {
            return OpenRedirectReasons.UrlAfterSlash;
        }

        var end = rest.IndexOfAny('/', '?', '#');
        var authority = end < 0 ? rest : rest[..end];
        if (!authority.Contains('.') && !authority.Contains('@') && !authority.Contains('\u3002'))
        {
            // "//css/site.css", "///": a path, not a host.
            return null;
        }

        if (slashes >= 3 || disguised)
        {
            return OpenRedirectReasons.DisguisedProtocolRelative;
        }

        return JudgeAuthority(raw, rest);
    }

    // The authority and path of a URL written with a web scheme or as protocol-relative.
    private static string? JudgeAuthority(ReadOnlySpan<char> raw, ReadOnlySpan<char> rest)
    {
        var end = rest.IndexOfAny("/?#");
        var authority = end < 0 ? rest : rest[..end];
        var after = end < 0 ? default : rest[end..];
        var at = authority.LastIndexOf('@');
        if (at >= 0 && authority[..at].Contains('.'))
        {
            return OpenRedirectReasons.HostLikeCredentials;
        }

        if (after.Length > 1 && after[0] is '#' or '?' && after.IndexOf('@') > 0 && after[..after.IndexOf('@')].IndexOfAny('/', '&', '=') < 0)
        {
            return OpenRedirectReasons.HostConfusion;
        }

        var host = authority[(at + 1)..];
        foreach (var c in host)
        {
            if (c is '&' or ' ' or '%' or '<' or '>' or '\u3002' or '\uFF61' || c < ' ')
            {
                return OpenRedirectReasons.InvalidHostCharacters;
            }
        }

        var info = HostClassifier.Classify(host);
        if (info.IsIpLiteral && info.IsObfuscated)
        {
            return OpenRedirectReasons.ObfuscatedHost;
        }

        var nested = after.Length > 1 ? UrlReader.SchemeLength(after[1..]) : 0;
        if (nested > 0 && IsWebScheme(after[1..(1 + nested)]))
        {
            return OpenRedirectReasons.NestedUrl;
        }

        if (HasDotSegment(after) || HasEncodedDots(raw))
        {
            return OpenRedirectReasons.DotSegmentsAfterHost;
        }

        return EncodedSchemeOrNull(raw);
    }

    // Values that are not one URL: an escaped "javascript:" scheme, a domain written with ideographic full
    // stops, a relative URL whose query carries several redirect targets at once.
    private static string? JudgeText(ReadOnlySpan<char> raw)
    {
        if (raw.Length > 0 && raw[0] == '\\' && EscapedScheme.IsEscapedScriptScheme(raw))
        {
            return OpenRedirectReasons.EscapedScriptScheme;
        }

        var stop = raw.IndexOfAny('\u3002', '\uFF61');
        if (stop > 0 && stop + 1 < raw.Length && char.IsAsciiLetterOrDigit(raw[stop - 1]) && char.IsAsciiLetterOrDigit(raw[stop + 1])
            && raw.IndexOfAny(' ', '\n') < 0)
        {
            return OpenRedirectReasons.InvalidHostCharacters;
        }

        return raw.Length > 0 && raw[0] is '/' or '?' && CountUrlParameters(raw) >= 2 ? OpenRedirectReasons.RedirectSpray : null;
    }

    // Query parameters (after the first '?') whose value is an absolute or protocol-relative URL.
    private static int CountUrlParameters(ReadOnlySpan<char> raw)
    {
        var question = raw.IndexOf('?');
        if (question < 0)
        {
            return 0;
        }

        var count = 0;
        var rest = raw[(question + 1)..];
        while (!rest.IsEmpty)
        {
            var amp = rest.IndexOf('&');
            var pair = amp < 0 ? rest : rest[..amp];
            rest = amp < 0 ? default : rest[(amp + 1)..];
            var eq = pair.IndexOf('=');
            if (eq < 0)
            {
                continue;
            }

            var value = pair[(eq + 1)..];
            if (value.StartsWith("//", StringComparison.Ordinal) || value.StartsWith("/\\", StringComparison.Ordinal)
                || value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                count++;
            }
        }

        return count;
    }

    // "//host", "//host/", "//host//": a URL to a site's front page, with nothing a proxy path would carry.
    private static bool IsBareSite(ReadOnlySpan<char> afterScheme)
    {
        var rest = afterScheme.TrimStart('/');
        var end = rest.IndexOf('/');
        return end < 0 || rest[end..].IndexOfAnyExcept('/') < 0;
    }

    private static bool HasDotSegment(ReadOnlySpan<char> path)
    {
        var query = path.IndexOfAny('?', '#');
        if (query >= 0)
        {
            path = path[..query];
        }

        return path.EndsWith("/..", StringComparison.Ordinal) || path.Contains("/../", StringComparison.Ordinal);
    }

    private static bool HasEncodedDots(ReadOnlySpan<char> raw) =>
        raw.Contains("%2e%2e", StringComparison.OrdinalIgnoreCase) || raw.Contains("%2f..", StringComparison.OrdinalIgnoreCase);

    // "%68%74%74%70%3a...", "http://%67%6f...": letters of a scheme or host escaped, which nothing needs.
    private static string? EncodedSchemeOrNull(ReadOnlySpan<char> raw)
    {
        if (EscapedLetters(raw) >= 4)
        {
            return OpenRedirectReasons.EncodedScheme;
        }

        var separator = raw.IndexOf("://", StringComparison.Ordinal);
        return separator is > 0 and < 8 && EscapedLetters(raw[(separator + 3)..]) >= 3 ? OpenRedirectReasons.EncodedScheme : null;
    }

    // How many escapes of ASCII letters the text starts with.
    private static int EscapedLetters(ReadOnlySpan<char> text)
    {
        var count = 0;
        while (text.Length >= 3 && text[0] == '%' && char.IsAsciiHexDigit(text[1]) && char.IsAsciiHexDigit(text[2]))
        {
            var c = (char)((HexValue(text[1]) << 4) | HexValue(text[2]));
            if (!char.IsAsciiLetter(c))
            {
                break;
            }

            count++;
            text = text[3..];
        }

        return count;
    }

    private static bool IsWebScheme(ReadOnlySpan<char> scheme) =>
        scheme.Equals("http", StringComparison.OrdinalIgnoreCase) || scheme.Equals("https", StringComparison.OrdinalIgnoreCase);

    // As a browser reads a URL: tabs and line breaks dropped, backslashes read as slashes, escaped separators
    // and control characters decoded. Anything disguised is remembered.
    private static int Fold(ReadOnlySpan<char> value, Span<char> output, out bool disguised)
    {
        disguised = false;
        var length = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%' && i + 2 < value.Length && char.IsAsciiHexDigit(value[i + 1]) && char.IsAsciiHexDigit(value[i + 2]))
            {
                var escaped = (char)((HexValue(value[i + 1]) << 4) | HexValue(value[i + 2]));
                if (escaped is '\t' or '\n' or '\r' or '\\' or '/' || escaped == '\0')
                {
                    c = escaped;
                    i += 2;
                }
            }

            switch (c)
            {
                case '\t' or '\n' or '\r':
                    disguised = true;
                    continue;
                case '\\':
                    disguised = true;
                    output[length++] = '/';
                    continue;
                case '\0':
                    disguised = true;
                    output[length++] = '%';
                    continue;
                default:
                    output[length++] = c;
                    continue;
            }
        }

        return length;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
