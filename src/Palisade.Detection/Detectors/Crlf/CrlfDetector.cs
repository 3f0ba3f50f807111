using System.Buffers;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Detectors.Crlf;

/// <summary>
/// Detects CRLF injection: a line break (in any of the spellings <see cref="LineBreaks"/> reads) followed by what
/// a server would take for a new header line (<c>Set-Cookie:</c>, <c>Location:</c>, any <c>Token: value</c>) or a
/// new response (<c>HTTP/1.1 200</c>), in a value that can reach a response header: query, path, cookie and header
/// values. Text bodies (JSON, form and multipart fields, raw bodies) hold multi-line text and code by nature, so a raw
/// or backslash-escaped line break there never counts; an encoded one (<c>%0d%0a</c> inside decoded text) still does.
/// </summary>
public sealed class CrlfDetector : IDetector
{
    private const int MaxHeaderName = 48;

    private const string TriggersText = "\r\n%\\\u560A\u560D";

    private static readonly SearchValues<char> Triggers = SearchValues.Create(TriggersText);

    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");

    public string Id => "crlf.header";

    public AttackType AttackType => AttackType.Crlf;

    public string RequiredCharacters => TriggersText;

    public bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match)
    {
        match = default;
        var first = value.IndexOfAny(Triggers);
        if (first < 0)
        {
            return false;
        }

        var text = origin.Source is ValueSource.Json or ValueSource.Form or ValueSource.Multipart or ValueSource.Body;
        var i = first;
        while (i < value.Length)
        {
            // Text bodies hold multi-line text and code (\r\n in a snippet): only an encoded break counts there.
            var length = text && value[i] is '\r' or '\n' or '\\' ? 0 : LineBreaks.At(value, i, raw: true);
            if (length == 0)
            {
                var next = value[(i + 1)..].IndexOfAny(Triggers);
                if (next < 0)
                {
                    break;
                }

                i += next + 1;
                continue;
            }

            var start = i;
            var end = i;
            while (end < value.Length && (length = LineBreaks.At(value, end, raw: true)) > 0)
            {
                end += length;
            }

            // %%0a0a decoded once leaves "%\n0a": the break is followed by the rest of its own encoding.
            if (start > 0 && value[start - 1] == '%' && end + 1 < value.Length && value[end] == '0' && (value[end + 1] | 0x20) is 'a' or 'd')
            {
                end += 2;
            }

            // No request path or parameter name holds a line break on purpose: a server that writes it into a
            // header (a redirect, a Set-Cookie path) splits it.
            if (origin.Source == ValueSource.Path || (origin.IsName && !text))
            {
                match = new DetectorMatch(origin.IsName ? "line break in parameter name" : "line break in path", start, end - start, 70);
                return true;
            }

            var line = SkipBlanks(value, end);
            var strong = StartsResponse(value, line);
            var header = strong == 0 ? HeaderLine(value, line, allowPair: origin.Source == ValueSource.Query) : 0;
            if (strong > 0 || header > 0)
            {
                var stop = strong > 0 ? strong : header;
                match = new DetectorMatch(strong > 0 ? "HTTP response splitting" : "header injection after line break", start, stop - start, 85);
                return true;
            }

            i = end;
        }

        return false;
    }

    private static int SkipBlanks(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length)
        {
            if (s[i] is ' ' or '\t')
            {
                i++;
            }
            else if (s[i] == '%' && i + 2 < s.Length && s[i + 1] == '2' && s[i + 2] == '0')
            {
                i += 3;
            }
            else if (LineBreaks.At(s, i, raw: true) is var n and > 0)
            {
                i += n;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    // Token ':' (or, in a query value a redirect may copy, Token '='): the end of the name and its
    // separator, or 0.
    private static int HeaderLine(ReadOnlySpan<char> s, int i, bool allowPair)
    {
        var rest = s[i..];
        var end = rest.IndexOfAnyExcept(TokenChars);
        if (end < 2 || end > MaxHeaderName || !char.IsAsciiLetter(rest[0]))
        {
            return 0;
        }

        var after = rest[end..];
        if (after[0] == ':' || (allowPair && after[0] == '='))
        {
            return i + end + 1;
        }

        return after.StartsWith("%3a", StringComparison.OrdinalIgnoreCase) ? i + end + 3 : 0;
    }

    // HTTP/1.1 200: the end of the status line's version and code, or 0.
    private static int StartsResponse(ReadOnlySpan<char> s, int i)
    {
        var rest = s[i..];
        if (!rest.StartsWith("HTTP/", StringComparison.OrdinalIgnoreCase) || rest.Length < 9)
        {
            return 0;
        }

        var j = 5;
        while (j < rest.Length && (char.IsAsciiDigit(rest[j]) || rest[j] == '.'))
        {
            j++;
        }

        var afterVersion = j;
        j = SkipBlanks(rest, j);
        return j > afterVersion && j + 3 <= rest.Length && rest.Slice(j, 3).IndexOfAnyExceptInRange('0', '9') < 0 ? i + j + 3 : 0;
    }
}
