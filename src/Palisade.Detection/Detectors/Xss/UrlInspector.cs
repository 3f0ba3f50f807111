using System.Buffers;
using System.Collections.Frozen;
using Palisade.Detection.Detectors.Ssrf;

namespace Palisade.Detection.Detectors.Xss;

/// <summary>
/// Reads the scheme of a URL the way a browser's URL parser does: leading spaces and control characters are
/// dropped, tabs and line breaks are ignored anywhere (<c>jav&#x09;ascript:</c> is <c>javascript:</c>), case does
/// not matter. Other control characters inside the scheme are skipped too, as older browsers did
/// (<c>java\x01script:</c>): no benign URL has them. Input is text after HTML character references were decoded.
/// </summary>
internal static class UrlInspector
{
    private const int MaxSchemeLength = 12;
    private const int MaxMediaTypeLength = 40;

    // Media types a browser renders as a document or runs as script when a data: URL is navigated to or embedded.
    private static readonly FrozenSet<string> ScriptableMediaTypes = new[]
    {
        "text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml", "text/xsl",
        "text/javascript", "application/javascript", "application/x-javascript", "application/ecmascript",
        "text/ecmascript", "text/vbscript", "text/x-scriptlet",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ScriptableMediaTypeLookup =
        ScriptableMediaTypes.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly SearchValues<char> AuthorityEnds = SearchValues.Create("/?#\\");

    // Names of references that hide a scheme, matched in any case (see HasObfuscatedScriptScheme).
    private static readonly (string Name, char Value)[] CaseInsensitiveSchemeReferences =
        [("tab;", '\t'), ("newline;", '\n'), ("colon;", ':')];

    /// <summary>What a URL would do if a browser followed it.</summary>
    public enum Threat
    {
        None,

        /// <summary><c>javascript:</c>: the rest is JavaScript, run when the URL is followed.</summary>
        JavaScript,

        /// <summary>Netscape's <c>livescript:</c> and <c>mocha:</c>, which nothing benign uses.</summary>
        LegacyScript,

        /// <summary><c>vbscript:</c> (Internet Explorer).</summary>
        VbScript,

        /// <summary>A <c>data:</c> URL whose media type is a document or a script.</summary>
        ScriptableData,
    }

    /// <summary>
    /// True when the host of an absolute or scheme-relative URL is spelled so that neither a reader nor a filter
    /// sees where it leads, which the browser undoes: letters, digits or dots as percent escapes
    /// (<c>http://%77%77%77%2E...</c>), or an IPv4 address in any notation but four decimal bytes
    /// (<c>http://1113982867/</c>, <c>http://0x42.0x66.0x7.0x93/</c>). A page's own links never read so.
    /// </summary>
    public static bool HasDisguisedHost(ReadOnlySpan<char> url)
    {
        url = url.Trim();
        var slashes = url.IndexOf("//", StringComparison.Ordinal);
        if (slashes < 0 || (slashes > 0 && (url[slashes - 1] != ':' || !IsSchemeName(url[..(slashes - 1)]))))
        {
            return false;
        }

        var authority = url[(slashes + 2)..];
        var end = authority.IndexOfAny(AuthorityEnds);
        authority = end >= 0 ? authority[..end] : authority;
        var host = authority[(authority.LastIndexOf('@') + 1)..];
        for (var i = host.IndexOf('%'); i >= 0 && i + 2 < host.Length; i++)
        {
            if (host[i] == '%' && char.IsAsciiHexDigit(host[i + 1]) && char.IsAsciiHexDigit(host[i + 2])
                && IsHostCharacter((char)((HexValue(host[i + 1]) << 4) | HexValue(host[i + 2]))))
            {
                return true;
            }
        }

        return HostClassifier.Classify(host) is { IsIpLiteral: true, IsObfuscated: true };
    }

    private static bool IsSchemeName(ReadOnlySpan<char> scheme)
    {
        if (scheme.IsEmpty || !char.IsAsciiLetter(scheme[0]))
        {
            return false;
        }

        foreach (var c in scheme)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHostCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-';

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <summary>
    /// Finds <c>javascript:</c> further into a URL attribute's value than its start, where fuzzed payloads put
    /// it behind bytes a browser may skip (<c>\x0Bjavascript:javascript:alert(1)</c>); returns where the code starts.
    /// </summary>
    public static int IndexOfEmbeddedScriptScheme(ReadOnlySpan<char> url)
    {
        var offset = 1;
        while (offset < url.Length)
        {
            var at = url[offset..].IndexOf("javascript", StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return -1;
            }

            var end = offset + at + 10;
            while (end < url.Length && url[end] <= ' ')
            {
                end++;
            }

            if (end < url.Length && url[end] == ':')
            {
                return end + 1;
            }

            offset = offset + at + 10;
        }

        return -1;
    }

    /// <summary>
    /// True when the value starts with a script scheme (<c>javascript:</c>, <c>vbscript:</c>, <c>livescript:</c>) whose
    /// letters are split by whitespace or control characters, raw or written as character references, or spelled
    /// with references: <c>ja&amp;Tab;vascript:</c>, <c>v&amp;NewLine;bscript&amp;colon;</c>, <c>&amp;#106;avascript:</c>. Nothing but
    /// an evasion spells a scheme that way, so it counts without any code after the colon. The names of the
    /// whitespace references and <c>&amp;colon;</c> are matched in any case (<c>&amp;tab;</c>): browsers are strict
    /// about it, filters that decode before they match and old Internet Explorer were not.
    /// </summary>
    /// <param name="raw">The value as written, references not decoded.</param>
    public static bool HasObfuscatedScriptScheme(ReadOnlySpan<char> raw)
    {
        var i = 0;
        while (i < raw.Length && raw[i] == ' ')
        {
            i++;
        }

        Span<char> scheme = stackalloc char[MaxSchemeLength];
        var length = 0;
        var obfuscated = false;
        while (i < raw.Length)
        {
            int c = raw[i];
            var consumed = 1;
            if (c == '&')
            {
                consumed = TryDecodeSchemeReference(raw[i..], out c);
                if (consumed == 0)
                {
                    return false;
                }

                obfuscated = true;
            }

            i += consumed;
            if (c == ':')
            {
                return obfuscated && IsScriptScheme(scheme[..length]);
            }

            if (c < ' ' || c == 0x7F)
            {
                obfuscated |= length > 0;
                continue;
            }

            if (!char.IsAsciiLetter((char)c) || length == MaxSchemeLength)
            {
                return false;
            }

            scheme[length++] = (char)(c | 0x20);
        }

        return false;
    }

    /// <summary>
    /// True when the value is nothing but character references that spell the first six or more letters of a
    /// script scheme (<c>&amp;#106;&amp;#97;&amp;#118;&amp;#97;&amp;#115;&amp;#99;</c>, "javasc"): an unquoted value a space
    /// cut, whose rest the browser reads as the next attributes. Nobody writes the letters of a URL that way but
    /// to slip them past a filter.
    /// </summary>
    public static bool SpellsScriptSchemeInReferences(ReadOnlySpan<char> raw)
    {
        const int MinimumLetters = 6;
        Span<char> letters = stackalloc char[MaxSchemeLength];
        var length = 0;
        var i = 0;
        while (i < raw.Length)
        {
            var c = 0;
            var consumed = raw[i] == '&' ? HtmlEntityDecoder.TryDecode(raw[i..], inAttribute: true, out c) : 0;
            if (consumed == 0 || c > 0x7F || !char.IsAsciiLetter((char)c) || length == MaxSchemeLength)
            {
                return false;
            }

            letters[length++] = (char)(c | 0x20);
            i += consumed;
        }

        var spelled = letters[..length];
        return length >= MinimumLetters
            && ("javascript".AsSpan().StartsWith(spelled) || "vbscript".AsSpan().StartsWith(spelled) || "livescript".AsSpan().StartsWith(spelled));
    }

    private static bool IsScriptScheme(ReadOnlySpan<char> name) =>
        name.SequenceEqual("javascript") || name.SequenceEqual("vbscript") || name.SequenceEqual("livescript");

    // A character reference inside a scheme: the browser's references, and the whitespace and colon names in any case.
    private static int TryDecodeSchemeReference(ReadOnlySpan<char> text, out int codePoint)
    {
        foreach (var (name, value) in CaseInsensitiveSchemeReferences)
        {
            if (text.Length > name.Length && text[1..].StartsWith(name, StringComparison.OrdinalIgnoreCase))
            {
                codePoint = value;
                return name.Length + 1;
            }
        }

        return HtmlEntityDecoder.TryDecode(text, inAttribute: false, out codePoint);
    }

    /// <summary>
    /// Classifies the URL; for script schemes <paramref name="codeStart"/> is where the code begins (just past
    /// the colon), so the caller can judge whether the code does anything.
    /// </summary>
    public static Threat Classify(ReadOnlySpan<char> url, out int codeStart)
    {
        codeStart = 0;
        var i = 0;
        while (i < url.Length && url[i] <= ' ')
        {
            i++;
        }

        Span<char> scheme = stackalloc char[MaxSchemeLength];
        var length = 0;
        for (; i < url.Length; i++)
        {
            var c = url[i];
            if (c < ' ')
            {
                continue;
            }

            if (c == ':')
            {
                break;
            }

            if (!char.IsAsciiLetter(c) || length == MaxSchemeLength)
            {
                return Threat.None;
            }

            scheme[length++] = (char)(c | 0x20);
        }

        if (i >= url.Length)
        {
            return Threat.None;
        }

        codeStart = i + 1;
        var name = scheme[..length];
        if (name.SequenceEqual("javascript"))
        {
            return Threat.JavaScript;
        }

        if (name.SequenceEqual("livescript") || name.SequenceEqual("mocha"))
        {
            return Threat.LegacyScript;
        }

        if (name.SequenceEqual("vbscript"))
        {
            return Threat.VbScript;
        }

        if (!name.SequenceEqual("data"))
        {
            return Threat.None;
        }

        return IsScriptableMediaType(url[codeStart..]) || DataUrlInspector.HoldsScriptInBase64(url[codeStart..])
            ? Threat.ScriptableData
            : Threat.None;
    }

    /// <summary>True when the text after <c>data:</c> starts with a media type that renders or runs.</summary>
    private static bool IsScriptableMediaType(ReadOnlySpan<char> afterColon)
    {
        Span<char> mediaType = stackalloc char[MaxMediaTypeLength];
        var length = 0;
        foreach (var c in afterColon)
        {
            if (c is ';' or ',')
            {
                break;
            }

            if (c < ' ' || (c == ' ' && length == 0))
            {
                continue;
            }

            if (length == MaxMediaTypeLength)
            {
                return false;
            }

            // A media type has no spaces: one inside it is a '+' that a form decoder turned into a space.
            mediaType[length++] = c == ' ' ? '+' : c;
        }

        return ScriptableMediaTypeLookup.Contains(mediaType[..length].TrimEnd('+'));
    }
}
