using System.Buffers;

namespace Palisade.Detection.Detectors.Xss;

/// <summary>
/// Judges CSS (a <c>style</c> attribute, a <c>style</c> element, or a value that may land in one) for the ways
/// stylesheets have run script: IE's <c>expression(...)</c>, <c>url(javascript:...)</c> and other script URLs,
/// IE behaviors (<c>behavior:url(x.htc)</c>) and Gecko's <c>-moz-binding:url(...)</c>, and, in a style element,
/// <c>@import</c> of a foreign stylesheet.
/// </summary>
/// <remarks>
/// CSS comments are dropped and CSS escapes decoded first, as the CSS parser does, so <c>expr/**/ession(</c> and
/// <c>\0065xpression(</c> or <c>@im\port'\ja\vasc\ript:...'</c> read as what they are. <c>expression</c> only counts
/// as a property value (right after <c>name:</c>), so the words "regular expression (regex)" pass.
/// </remarks>
internal static class CssInspector
{
    private const int StackLimit = 512;

    public enum Context
    {
        /// <summary>A style attribute's value, or a value that may become one.</summary>
        Declarations,

        /// <summary>The content of a style element: <c>@import</c> counts too.</summary>
        StyleSheet,

        /// <summary>
        /// Any other value, which may or may not end up in CSS: a script scheme only counts inside <c>url(</c>, so
        /// prose such as "I like javascript: it is everywhere" passes.
        /// </summary>
        Value,
    }

    /// <summary>Finds a construct that runs script; the offset is the construct's in <paramref name="css"/> when no comment or escape preceded it.</summary>
    public static bool TryFind(ReadOnlySpan<char> css, Context context, out int offset)
    {
        offset = 0;
        if (css.IndexOfAny('\\', '/') < 0 || !NeedsNormalizing(css))
        {
            return TryFindNormalized(css, context, out offset);
        }

        char[]? rented = null;
        var buffer = css.Length <= StackLimit ? stackalloc char[StackLimit] : (rented = ArrayPool<char>.Shared.Rent(css.Length));
        try
        {
            var normalized = buffer[..Normalize(css, buffer)];
            var found = TryFindNormalized(normalized, context, out offset)
                || (context != Context.Value && HidesMarkup(normalized));
            offset = Math.Min(offset, css.Length);
            return found;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    // font-family:'\3cimg\20src\3dx\20onerror\3d...': markup spelled with CSS escapes comes back as live
    // markup when a sanitizer or the DOM serializes the style and the result is parsed again.
    private static bool HidesMarkup(ReadOnlySpan<char> normalized) =>
        normalized.Contains('<') && MarkupInspector.TryFind(normalized, out _);

    private static bool NeedsNormalizing(ReadOnlySpan<char> css) =>
        css.Contains('\\') || css.Contains("/*", StringComparison.Ordinal);

    private static bool TryFindNormalized(ReadOnlySpan<char> css, Context context, out int offset)
    {
        offset = 0;
        if (context == Context.Value && !MayHoldValueConstruct(css))
        {
            return false;
        }

        for (var i = 0; i < css.Length; i++)
        {
            var c = css[i] | 0x20;
            if (c == 'e' && IsWordAt(css, i, "expression") && PrecededByPropertyColon(css, i)
                && (context == Context.Value ? i + 10 < css.Length && css[i + 10] == '(' : Follows(css, i + 10, '(')))
            {
                offset = i;
                return true;
            }

            if ((c == 'j' && IsWordAt(css, i, "javascript")) || (c == 'v' && IsWordAt(css, i, "vbscript")))
            {
                var end = i + (c == 'j' ? 10 : 8);
                var starts = context == Context.Value ? IsInsideUrlFunction(css, i) : StartsUrl(css, i);
                if (starts && (Follows(css, end, ':') || SkipSpaces(css, end) == css.Length))
                {
                    offset = i;
                    return true;
                }
            }

            if ((c == 'b' && IsWordAt(css, i, "behavior") && IsPropertyWithUrl(css, i + 8))
                || (c == '-' && IsWordAt(css, i, "-moz-binding") && IsPropertyWithUrl(css, i + 12)))
            {
                offset = i;
                return true;
            }

            if (c == ('@' | 0x20) && css[i] == '@' && context == Context.StyleSheet && IsWordAt(css, i + 1, "import"))
            {
                offset = i;
                return true;
            }
        }

        offset = 0;
        return false;
    }

    // In a plain value each construct opens a parenthesis right after "url" or "expression" (a script URL inside
    // url(, behavior and -moz-binding with one, expression( itself): prose with parentheses ("keyboard (Nordic
    // layout)") has no such one, and skips the character-by-character reading.
    private static bool MayHoldValueConstruct(ReadOnlySpan<char> css)
    {
        var open = css.IndexOf('(');
        while (open >= 0)
        {
            var before = css[..open];
            if (before.EndsWith("url", StringComparison.OrdinalIgnoreCase) || before.EndsWith("expression", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            var next = css[(open + 1)..].IndexOf('(');
            open = next < 0 ? -1 : open + 1 + next;
        }

        return false;
    }

    // "word" at i, not in the middle of a longer name.
    private static bool IsWordAt(ReadOnlySpan<char> css, int i, string word)
    {
        if (i + word.Length > css.Length || !css.Slice(i, word.Length).Equals(word, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return i == 0 || !(char.IsAsciiLetterOrDigit(css[i - 1]) || css[i - 1] is '-' or '_');
    }

    private static int SkipSpaces(ReadOnlySpan<char> css, int i)
    {
        while (i < css.Length && css[i] <= ' ')
        {
            i++;
        }

        return i;
    }

    private static bool Follows(ReadOnlySpan<char> css, int i, char c)
    {
        i = SkipSpaces(css, i);
        return i < css.Length && css[i] == c;
    }

    // "width: expression(" - the value of a declaration starts right after the colon.
    private static bool PrecededByPropertyColon(ReadOnlySpan<char> css, int i)
    {
        var j = i - 1;
        while (j >= 0 && css[j] <= ' ')
        {
            j--;
        }

        return j > 0 && css[j] == ':' && (char.IsAsciiLetterOrDigit(css[j - 1]) || css[j - 1] is '-' or '_' or '\\');
    }

    // A script scheme counts where a URL starts: after "url(", a quote, a colon or a space.
    private static bool StartsUrl(ReadOnlySpan<char> css, int i)
    {
        var j = i - 1;
        while (j >= 0 && css[j] < ' ')
        {
            j--;
        }

        return j < 0 || css[j] is '(' or '\'' or '"' or ':' or ' ' or ',';
    }

    // "url(javascript:", "url( 'javascript:".
    private static bool IsInsideUrlFunction(ReadOnlySpan<char> css, int i)
    {
        var j = i - 1;
        while (j >= 0 && (css[j] <= ' ' || css[j] is '\'' or '"'))
        {
            j--;
        }

        return j >= 3 && css[j] == '(' && css.Slice(j - 3, 3).Equals("url", StringComparison.OrdinalIgnoreCase);
    }

    // "behavior: url(", "-moz-binding:url(".
    private static bool IsPropertyWithUrl(ReadOnlySpan<char> css, int i)
    {
        i = SkipSpaces(css, i);
        if (i >= css.Length || css[i] != ':')
        {
            return false;
        }

        i = SkipSpaces(css, i + 1);
        return i + 4 <= css.Length && css.Slice(i, 4).Equals("url(", StringComparison.OrdinalIgnoreCase);
    }

    // Drops comments and decodes escapes ("\6a", "\000065 ", "\:") the way the CSS tokenizer does; a quote
    // opens a string, in which "/*" does not open a comment.
    private static int Normalize(ReadOnlySpan<char> css, Span<char> output)
    {
        var written = 0;
        var i = 0;
        var quote = '\0';
        while (i < css.Length && written < output.Length)
        {
            var c = css[i];

            // Inside a string "/*" is text: in no\xss:x("*//*");xss:ex/*XSS*//*/*/pression(...) the comments
            // only start after the string closes (at its quote, or at a line break, which ends a bad string).
            if (quote != '\0' && (c == quote || c is '\n' or '\r' or '\f'))
            {
                quote = '\0';
            }
            else if (quote == '\0' && c is '"' or '\'')
            {
                quote = c;
            }

            if (quote == '\0' && c == '/' && i + 1 < css.Length && css[i + 1] == '*')
            {
                var close = css[(i + 2)..].IndexOf("*/", StringComparison.Ordinal);
                i = close < 0 ? css.Length : i + 2 + close + 2;
                continue;
            }

            if (c != '\\' || i + 1 >= css.Length)
            {
                output[written++] = c;
                i++;
                continue;
            }

            i++;
            if (css[i] is '\n' or '\r' or '\f')
            {
                i++;
                continue;
            }

            var digits = 0;
            var value = 0;
            while (digits < 6 && i < css.Length && char.IsAsciiHexDigit(css[i]))
            {
                value = (value * 16) + (css[i] <= '9' ? css[i] - '0' : (css[i] | 0x20) - 'a' + 10);
                i++;
                digits++;
            }

            if (digits == 0)
            {
                output[written++] = css[i++];
                continue;
            }

            if (i < css.Length && css[i] is ' ' or '\t' or '\n' or '\r' or '\f')
            {
                i++;
            }

            output[written++] = value is > 0 and < 0xD800 or (> 0xDFFF and <= 0xFFFF) ? (char)value : '\uFFFD';
        }

        return written;
    }
}
