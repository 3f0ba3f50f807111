namespace Palisade.Detection.Detectors.Xss;

/// <summary>
/// Cuts text into HTML tokens the way a browser's tokenizer does (WHATWG HTML, "13.2.5 Tokenization"), so the
/// detector sees the tags a browser would build and not the ones a regular expression imagines: <c>&lt;svg/onload=x&gt;</c>
/// is an <c>svg</c> tag with an <c>onload</c> attribute, <c>&lt;x 1="&gt;" onxxx=1</c> has two attributes,
/// <c>&lt;3</c> and <c>a &lt; b</c> are text, <c>&lt;!--&lt;script&gt;--&gt;</c> is a comment.
/// </summary>
/// <remarks>
/// <para>
/// The states that decide where tokens start and end are modelled: data, tag open, end tag open, tag name,
/// before/after attribute name, attribute name, before attribute value, double/single-quoted and unquoted
/// attribute value, self-closing start tag, markup declaration open, comment (including <c>&lt;!--&gt;</c> and
/// <c>--!&gt;</c>), bogus comment (<c>&lt;?</c>, <c>&lt;!x</c>, <c>&lt;/ x</c>), DOCTYPE and CDATA. Character references do
/// not move token boundaries, so they are left in the values for the caller to decode. NUL and other control
/// characters are kept as they are: like a browser, the tokenizer never fails.
/// </para>
/// <para>
/// What a browser's tree builder decides (that <c>style</c> content is raw text, that CDATA exists only in SVG
/// and MathML) is left to the caller, which switches the tokenizer with <see cref="EnterRawText"/>,
/// <see cref="EnterPlainText"/> and <see cref="AllowCData"/>.
/// </para>
/// <para>
/// A tag that the input ends inside (<c>&lt;svg onload=alert(1)</c>) is still reported, with
/// <see cref="IsUnterminated"/> set: a browser would drop it, but a reflected value is followed by the rest of
/// the page, whose next <c>&gt;</c> closes it. Every state moves forward only, so the cost is linear in the input.
/// </para>
/// </remarks>
public ref struct HtmlTokenizer
{
    private readonly ReadOnlySpan<char> _input;
    private int _pos;
    private bool _inTag;
    private RawTextMode _rawText;
    private int _rawTextNameStart;
    private int _rawTextNameLength;

    public HtmlTokenizer(ReadOnlySpan<char> input)
    {
        _input = input;
    }

    private enum RawTextMode
    {
        None,
        UntilEndTag,
        ToEnd,
    }

    public HtmlTokenKind Kind { get; private set; }

    /// <summary>Offset of the token's first character (the <c>&lt;</c> of a tag).</summary>
    public int TokenStart { get; private set; }

    /// <summary>Offset just past the token; for a tag, known once its attributes are read.</summary>
    public int TokenEnd { get; private set; }

    /// <summary>Offset of the tag name, or of the content of text, comments and CDATA.</summary>
    public int ContentStart { get; private set; }

    public int ContentLength { get; private set; }

    /// <summary>The tag name as written, or the content of a text, comment, bogus comment, DOCTYPE or CDATA token.</summary>
    public readonly ReadOnlySpan<char> Content => _input.Slice(ContentStart, ContentLength);

    /// <summary>The tag ended with <c>/&gt;</c>; known once its attributes are read.</summary>
    public bool IsSelfClosing { get; private set; }

    /// <summary>The input ended inside the tag, comment or raw text.</summary>
    public bool IsUnterminated { get; private set; }

    /// <summary>Set by the caller while inside SVG or MathML, where <c>&lt;![CDATA[</c> opens a CDATA section.</summary>
    public bool AllowCData { get; set; }

    /// <summary>Offset of the next character the tokenizer will read.</summary>
    public readonly int Position => _pos;

    /// <summary>
    /// Makes everything up to the end tag of the element just started (<c>&lt;/style</c>) one text token, as
    /// browsers do for <c>script</c>, <c>style</c>, <c>textarea</c>, <c>title</c>, <c>xmp</c>, <c>iframe</c>,
    /// <c>noembed</c>, <c>noframes</c> and <c>noscript</c>.
    /// </summary>
    public void EnterRawText()
    {
        if (Kind != HtmlTokenKind.StartTag)
        {
            return;
        }

        _rawText = RawTextMode.UntilEndTag;
        _rawTextNameStart = ContentStart;
        _rawTextNameLength = ContentLength;
    }

    /// <summary>Makes the rest of the input one text token, as <c>&lt;plaintext&gt;</c> does.</summary>
    public void EnterPlainText() => _rawText = RawTextMode.ToEnd;

    /// <summary>
    /// A tokenizer that starts inside a tag, ready for <see cref="TryReadAttribute"/>: for text that may continue
    /// a tag, such as a value written into an attribute (<c>" onfocus="x</c>) or the pseudo-attributes of a
    /// processing instruction.
    /// </summary>
    public static HtmlTokenizer ForAttributes(ReadOnlySpan<char> input) =>
        new(input) { _inTag = true, Kind = HtmlTokenKind.StartTag };

    /// <summary>Moves to the next token; false at the end of the input.</summary>
    public bool Read()
    {
        if (_inTag)
        {
            while (TryReadAttribute(out _))
            {
            }
        }

        IsSelfClosing = false;
        IsUnterminated = false;
        if (_pos >= _input.Length)
        {
            Kind = HtmlTokenKind.None;
            return false;
        }

        if (_rawText != RawTextMode.None)
        {
            ReadRawText();
            return true;
        }

        var start = _pos;
        while (_pos < _input.Length)
        {
            var lt = _input[_pos..].IndexOf('<');
            if (lt < 0)
            {
                _pos = _input.Length;
                break;
            }

            _pos += lt;
            if (OpensMarkup(_pos))
            {
                break;
            }

            _pos++;
        }

        if (_pos > start)
        {
            SetToken(HtmlTokenKind.Text, start, _pos, start, _pos - start);
            return true;
        }

        ReadMarkup();
        return true;
    }

    /// <summary>
    /// Reads the next attribute of the current start or end tag; false once the tag is over (then
    /// <see cref="TokenEnd"/> and <see cref="IsSelfClosing"/> are known).
    /// </summary>
    public bool TryReadAttribute(out HtmlAttributeToken attribute)
    {
        attribute = default;
        if (!_inTag)
        {
            return false;
        }

        // Before attribute name state.
        while (true)
        {
            SkipWhitespace();
            if (_pos >= _input.Length)
            {
                EndTag(unterminated: true);
                return false;
            }

            var c = _input[_pos];
            if (c == '>')
            {
                _pos++;
                EndTag(unterminated: false);
                return false;
            }

            if (c != '/')
            {
                break;
            }

            // Self-closing start tag state: "/>" ends the tag, any other "/" is ignored.
            _pos++;
            if (_pos < _input.Length && _input[_pos] == '>')
            {
                _pos++;
                IsSelfClosing = true;
                EndTag(unterminated: false);
                return false;
            }
        }

        // Attribute name state. A leading '=' belongs to the name; quotes and '<' are kept too.
        var nameStart = _pos++;
        while (_pos < _input.Length)
        {
            var c = _input[_pos];
            if (IsWhitespace(c) || c is '/' or '>' or '=')
            {
                break;
            }

            _pos++;
        }

        var name = _input[nameStart.._pos];

        // After attribute name state: whitespace may separate the name from '='.
        var afterName = _pos;
        SkipWhitespace();
        if (_pos >= _input.Length || _input[_pos] != '=')
        {
            _pos = afterName;
            attribute = new HtmlAttributeToken(name, nameStart, [], afterName, hasValue: false, afterName);
            return true;
        }

        // Before attribute value state.
        _pos++;
        SkipWhitespace();
        if (_pos >= _input.Length || _input[_pos] == '>')
        {
            attribute = new HtmlAttributeToken(name, nameStart, [], _pos, hasValue: true, _pos, cutOff: _pos >= _input.Length);
            return true;
        }

        var quote = _input[_pos];
        if (quote is '"' or '\'')
        {
            var valueStart = _pos + 1;
            var close = _input[valueStart..].IndexOf(quote);
            if (close < 0)
            {
                _pos = _input.Length;
                attribute = new HtmlAttributeToken(name, nameStart, _input[valueStart..], valueStart, hasValue: true, _pos);
                return true;
            }

            _pos = valueStart + close + 1;
            attribute = new HtmlAttributeToken(name, nameStart, _input.Slice(valueStart, close), valueStart, hasValue: true, _pos);
            return true;
        }

        // Unquoted attribute value state: runs to whitespace or '>'.
        var unquotedStart = _pos;
        while (_pos < _input.Length && !IsWhitespace(_input[_pos]) && _input[_pos] != '>')
        {
            _pos++;
        }

        attribute = new HtmlAttributeToken(name, nameStart, _input[unquotedStart.._pos], unquotedStart, hasValue: true, _pos);
        return true;
    }

    /// <summary>The whitespace of the HTML tokenizer: tab, line feed, form feed, carriage return, space.</summary>
    public static bool IsWhitespace(char c) => c is ' ' or '\t' or '\n' or '\f' or '\r';

    // Tag open state: what may follow '<' for it to open markup rather than be text.
    private readonly bool OpensMarkup(int lt)
    {
        if (lt + 1 >= _input.Length)
        {
            return false;
        }

        var next = _input[lt + 1];
        if (char.IsAsciiLetter(next) || next is '!' or '?')
        {
            return true;
        }

        // "</" opens an end tag, a bogus comment, or (for "</>") nothing at all; "</" at the end is text.
        return next == '/' && lt + 2 < _input.Length;
    }

    private void ReadMarkup()
    {
        var start = _pos;
        var next = _input[start + 1];
        if (char.IsAsciiLetter(next))
        {
            ReadTagName(HtmlTokenKind.StartTag, start, start + 1);
            return;
        }

        if (next == '/')
        {
            var after = _input[start + 2];
            if (char.IsAsciiLetter(after))
            {
                ReadTagName(HtmlTokenKind.EndTag, start, start + 2);
                return;
            }

            if (after == '>')
            {
                // "</>" is dropped by browsers; report it as an empty bogus comment.
                _pos = start + 3;
                SetToken(HtmlTokenKind.BogusComment, start, _pos, start + 2, 0);
                return;
            }

            ReadBogusComment(start, start + 2);
            return;
        }

        if (next == '?')
        {
            ReadBogusComment(start, start + 1);
            return;
        }

        // Markup declaration open state: "<!".
        var rest = _input[(start + 2)..];
        if (rest.StartsWith("--", StringComparison.Ordinal))
        {
            ReadComment(start, start + 4);
        }
        else if (rest.StartsWith("DOCTYPE", StringComparison.OrdinalIgnoreCase))
        {
            ReadBogusComment(start, start + 2);
            Kind = HtmlTokenKind.Doctype;
        }
        else if (rest.StartsWith("[CDATA[", StringComparison.Ordinal) && AllowCData)
        {
            ReadCData(start, start + 9);
        }
        else
        {
            ReadBogusComment(start, start + 2);
        }
    }

    private void ReadTagName(HtmlTokenKind kind, int start, int nameStart)
    {
        _pos = nameStart;
        while (_pos < _input.Length)
        {
            var c = _input[_pos];
            if (IsWhitespace(c) || c is '/' or '>')
            {
                break;
            }

            _pos++;
        }

        SetToken(kind, start, _pos, nameStart, _pos - nameStart);
        _inTag = true;
    }

    private void EndTag(bool unterminated)
    {
        _inTag = false;
        TokenEnd = _pos;
        IsUnterminated = unterminated;
    }

    // Comment start, comment, comment end and comment end bang states: "<!-->" and "<!--->" are empty
    // comments; otherwise the comment runs to "-->" or "--!>".
    private void ReadComment(int start, int contentStart)
    {
        var rest = _input[contentStart..];
        if (rest.StartsWith(">"))
        {
            _pos = contentStart + 1;
            SetToken(HtmlTokenKind.Comment, start, _pos, contentStart, 0);
            return;
        }

        if (rest.StartsWith("->"))
        {
            _pos = contentStart + 2;
            SetToken(HtmlTokenKind.Comment, start, _pos, contentStart, 0);
            return;
        }

        var offset = 0;
        while (true)
        {
            var dashes = rest[offset..].IndexOf("--", StringComparison.Ordinal);
            if (dashes < 0)
            {
                _pos = _input.Length;
                SetToken(HtmlTokenKind.Comment, start, _pos, contentStart, _pos - contentStart);
                IsUnterminated = true;
                return;
            }

            var at = offset + dashes;
            var after = rest[(at + 2)..];
            var closeLength = after.StartsWith(">") ? 3 : after.StartsWith("!>") ? 4 : 0;
            if (closeLength > 0)
            {
                _pos = contentStart + at + closeLength;
                SetToken(HtmlTokenKind.Comment, start, _pos, contentStart, at);
                return;
            }

            offset = at + 1;
        }
    }

    // Bogus comment state: everything up to the next '>'.
    private void ReadBogusComment(int start, int contentStart)
    {
        var close = _input[contentStart..].IndexOf('>');
        if (close < 0)
        {
            _pos = _input.Length;
            SetToken(HtmlTokenKind.BogusComment, start, _pos, contentStart, _pos - contentStart);
            IsUnterminated = true;
            return;
        }

        _pos = contentStart + close + 1;
        SetToken(HtmlTokenKind.BogusComment, start, _pos, contentStart, close);
    }

    private void ReadCData(int start, int contentStart)
    {
        var close = _input[contentStart..].IndexOf("]]>", StringComparison.Ordinal);
        if (close < 0)
        {
            _pos = _input.Length;
            SetToken(HtmlTokenKind.CData, start, _pos, contentStart, _pos - contentStart);
            IsUnterminated = true;
            return;
        }

        _pos = contentStart + close + 3;
        SetToken(HtmlTokenKind.CData, start, _pos, contentStart, close);
    }

    // RAWTEXT / RCDATA / script data: text up to "</name" followed by whitespace, '/' or '>' (the
    // "appropriate end tag"), which is left for the next Read.
    private void ReadRawText()
    {
        var start = _pos;
        if (_rawText == RawTextMode.ToEnd)
        {
            _pos = _input.Length;
            SetToken(HtmlTokenKind.Text, start, _pos, start, _pos - start);
            return;
        }

        var name = _input.Slice(_rawTextNameStart, _rawTextNameLength);
        _rawText = RawTextMode.None;
        var search = start;
        while (true)
        {
            var lt = _input[search..].IndexOf("</", StringComparison.Ordinal);
            if (lt < 0)
            {
                _pos = _input.Length;
                SetToken(HtmlTokenKind.Text, start, _pos, start, _pos - start);
                IsUnterminated = true;
                return;
            }

            var at = search + lt;
            var candidate = _input[(at + 2)..];
            if (candidate.StartsWith(name, StringComparison.OrdinalIgnoreCase)
                && (candidate.Length == name.Length || IsWhitespace(candidate[name.Length]) || candidate[name.Length] is '/' or '>'))
            {
                _pos = at;
                break;
            }

            search = at + 2;
        }

        if (_pos == start)
        {
            // Empty raw text: go straight on to the end tag.
            Read();
            return;
        }

        SetToken(HtmlTokenKind.Text, start, _pos, start, _pos - start);
    }

    private void SetToken(HtmlTokenKind kind, int start, int end, int contentStart, int contentLength)
    {
        Kind = kind;
        TokenStart = start;
        TokenEnd = end;
        ContentStart = contentStart;
        ContentLength = contentLength;
    }

    private void SkipWhitespace()
    {
        while (_pos < _input.Length && IsWhitespace(_input[_pos]))
        {
            _pos++;
        }
    }
}
