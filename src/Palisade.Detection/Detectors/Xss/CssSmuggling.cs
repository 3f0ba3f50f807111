namespace Palisade.Detection.Detectors.Xss;

/// <summary>
/// Finds CSS written so that two parsers disagree on where a declaration, a rule or a URL ends: the way a
/// declaration a sanitizer never saw (<c>behavior</c>, <c>expression(...)</c>, a <c>url()</c> to anywhere) reaches
/// the browser, or a style attribute breaks out into the style sheet it is pasted into. Written CSS has no use
/// for any of it.
/// </summary>
/// <remarks>
/// <para>One forward pass over the text (comments skipped, strings and unquoted <c>url(</c> arguments read as the
/// CSS tokenizer reads them) flags:</para>
/// <list type="bullet">
/// <item>a block delimiter <c>{</c> or <c>}</c> in a style attribute, a declaration list (<c>font-family:foo}color=red</c>);
/// a value that starts with <c>{</c> or holds <c>{{</c>, <c>{%</c> or <c>${</c> is template syntax (JSX, Jinja) and passes;</item>
/// <item>a declaration inside a string or URL (<c>url('x[a];color:red;/*')</c>, <c>'foo[a];color:red;'</c>), for a parser
/// that ends the string or URL earlier than the browser;</item>
/// <item>an unquoted URL that the tokenizer turns into a bad URL (whitespace inside, a quote, a parenthesis, a
/// control character: <c>url(http://foo.f/f oo/;color:red/*/x.jpg)</c>), whose recovery parsers disagree on;
/// <c>data:</c> URLs are left alone;</item>
/// <item>a <c>[</c> that swallows a <c>;</c>, <c>{</c> or <c>}</c> before it closes (<c>foo[bar;color:green;}</c>);</item>
/// <item>an escape in a property or at-rule name (<c>no\xss:...</c>, <c>@\69mport</c>), which only hides the name from
/// a filter;</item>
/// <item>markup comment delimiters inside a string of a style element (<c>*['&lt;!--']{}</c>), where the HTML parser
/// and the CSS parser see different comment boundaries.</item>
/// </list>
/// </remarks>
internal static class CssSmuggling
{
    private enum Name
    {
        /// <summary>Not in a property name (a value or a selector).</summary>
        None,

        /// <summary>At the start of a declaration, before its name.</summary>
        Expected,

        /// <summary>Inside a name that started with a letter, '-' or '_'.</summary>
        Reading,
    }

    /// <summary>Finds the first construct; <paramref name="styleSheet"/> is true for a style element's text.</summary>
    public static bool TryFind(ReadOnlySpan<char> css, bool styleSheet, out int offset)
    {
        offset = 0;
        if (!styleSheet && IsTemplate(css))
        {
            return false;
        }

        var blockDepth = 0;
        var bracketDepth = 0;
        var name = Name.Expected;
        var i = 0;
        while (i < css.Length)
        {
            var c = css[i];
            if (c == '/' && i + 1 < css.Length && css[i + 1] == '*')
            {
                var close = css[(i + 2)..].IndexOf("*/", StringComparison.Ordinal);
                i = close < 0 ? css.Length : i + 2 + close + 2;
                continue;
            }

            // A property name is read where a declaration starts: anywhere in an attribute, inside blocks in a
            // sheet. A selector there (".md\:flex" in an @media block) does not start with a letter.
            var readsName = name != Name.None && (!styleSheet || blockDepth > 0);
            if (name == Name.Expected && (char.IsAsciiLetter(c) || c is '-' or '_'))
            {
                name = Name.Reading;
            }
            else if (name == Name.Reading && !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '\\'))
            {
                name = Name.None;
            }
            else if (name == Name.Expected && !(c is ' ' or '\t' or '\n' or '\r' or '\f' or '\\'))
            {
                name = Name.None;
            }

            switch (c)
            {
                case '"' or '\'':
                    var end = SkipString(css, i);
                    if (HidesDeclaration(css[(i + 1)..end]) || (styleSheet && HidesMarkupComment(css[(i + 1)..end])))
                    {
                        offset = i;
                        return true;
                    }

                    i = end;
                    continue;
                case '{' or '}':
                    if (!styleSheet || bracketDepth > 0)
                    {
                        offset = i;
                        return true;
                    }

                    blockDepth = c == '{' ? blockDepth + 1 : Math.Max(0, blockDepth - 1);
                    name = Name.Expected;
                    break;
                case ';':
                    if (bracketDepth > 0)
                    {
                        offset = i;
                        return true;
                    }

                    name = Name.Expected;
                    break;
                case '[':
                    bracketDepth++;
                    break;
                case ']':
                    bracketDepth = Math.Max(0, bracketDepth - 1);
                    break;
                case '\\' when readsName:
                    offset = i;
                    return true;
                case '@' when styleSheet && i + 1 < css.Length && css[i + 1] == '\\':
                    offset = i;
                    return true;
                case '(' when IsUrlFunction(css, i):
                    var urlEnd = SkipUnquotedUrl(css, i + 1, out var bad);
                    if (bad)
                    {
                        offset = i;
                        return true;
                    }

                    i = urlEnd;
                    continue;
            }

            i++;
        }

        return false;
    }

    // JSX (style={{...}}), Jinja and other template placeholders are not CSS yet.
    private static bool IsTemplate(ReadOnlySpan<char> css) =>
        css.TrimStart().StartsWith('{') || css.Contains("{{", StringComparison.Ordinal) || css.Contains("{%", StringComparison.Ordinal)
        || css.Contains("${", StringComparison.Ordinal);

    // Past the closing quote, or at the line break or end that ends a bad string.
    private static int SkipString(ReadOnlySpan<char> css, int open)
    {
        var quote = css[open];
        var i = open + 1;
        while (i < css.Length)
        {
            var c = css[i];
            if (c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == quote)
            {
                return i + 1;
            }

            if (c is '\n' or '\r' or '\f')
            {
                return i;
            }

            i++;
        }

        return css.Length;
    }

    // ";color:red" inside a string or URL: a semicolon, a name and a colon.
    private static bool HidesDeclaration(ReadOnlySpan<char> text)
    {
        var semicolon = text.IndexOf(';');
        while (semicolon >= 0)
        {
            var i = SkipSpaces(text, semicolon + 1);
            var nameStart = i;
            while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '-' or '_' or '\\'))
            {
                i++;
            }

            i = SkipSpaces(text, i);
            if (i > nameStart && i < text.Length && text[i] == ':' && (char.IsAsciiLetter(text[nameStart]) || text[nameStart] is '-' or '\\'))
            {
                return true;
            }

            var next = text[(semicolon + 1)..].IndexOf(';');
            semicolon = next < 0 ? -1 : semicolon + 1 + next;
        }

        return false;
    }

    private static bool HidesMarkupComment(ReadOnlySpan<char> text) =>
        text.Contains("<!--", StringComparison.Ordinal) || text.Contains("-->", StringComparison.Ordinal);

    // "url(" not preceded by a name character ("myurl(" is another function).
    private static bool IsUrlFunction(ReadOnlySpan<char> css, int open) =>
        open >= 3 && css.Slice(open - 3, 3).Equals("url", StringComparison.OrdinalIgnoreCase)
        && (open == 3 || !(char.IsAsciiLetterOrDigit(css[open - 4]) || css[open - 4] is '-' or '_' or '\\'));

    // The argument of url( as the CSS tokenizer reads it: a quoted one is a string (read by the caller), an
    // unquoted one runs to ')' and is a bad URL when whitespace is followed by more than ')', or it holds a quote,
    // '(' or a control character. Returns where reading goes on.
    private static int SkipUnquotedUrl(ReadOnlySpan<char> css, int start, out bool bad)
    {
        bad = false;
        var i = SkipSpaces(css, start);
        if (i >= css.Length || css[i] is '"' or '\'')
        {
            return i;
        }

        var close = css[i..].IndexOf(')');
        var end = close < 0 ? css.Length : i + close;
        var url = css[i..end];
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return end;
        }

        var trimmed = url.TrimEnd(" \t\n\r\f");
        foreach (var c in trimmed)
        {
            if (c is ' ' or '\t' or '\n' or '\r' or '\f' or '"' or '\'' or '(' || c < ' ' || c == '\u007F')
            {
                bad = true;
                return end;
            }
        }

        bad = HidesDeclaration(url);
        return end;
    }

    private static int SkipSpaces(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\r' or '\f')
        {
            i++;
        }

        return i;
    }
}
