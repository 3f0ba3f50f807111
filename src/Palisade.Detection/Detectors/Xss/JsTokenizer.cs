namespace Palisade.Detection.Detectors.Xss;

/// <summary>
/// A forgiving JavaScript tokenizer: enough of ECMAScript's lexical grammar to tell code from strings,
/// comments and regular expressions, so <c>alert(1)</c> in <c>';alert(1)//</c> is a call while the same letters
/// inside <c>'...alert(1)...'</c> are data. It never fails: an unterminated string ends at the line's end, a stray
/// character becomes a one-character punctuator.
/// </summary>
/// <remarks>
/// Handled: identifiers with <c>\uXXXX</c> and <c>\u{X}</c> escapes, numbers, single/double-quoted strings,
/// template literals with nested <c>${...}</c> substitutions, regular expressions (told from division by the
/// token before, as parsers do), <c>//</c>, <c>/* */</c> and <c>&lt;!--</c> comments, and line terminators
/// (reported on the next token, since they end statements). Every step moves forward, so the cost is linear.
/// </remarks>
public ref struct JsTokenizer
{
    private const int MaxTemplateDepth = 63;

    private readonly ReadOnlySpan<char> _source;
    private int _pos;
    private bool _regexAllowed = true;
    private int _noRegexUntil = -1;
    private int _braceDepth;
    private ulong _templateBraces;

    public JsTokenizer(ReadOnlySpan<char> source)
    {
        _source = source;
    }

    /// <summary>Reads the next token; false at the end of the input.</summary>
    public bool Next(out JsToken token)
    {
        var newline = SkipTrivia();
        if (_pos >= _source.Length)
        {
            token = default;
            return false;
        }

        var start = _pos;
        var c = _source[_pos];
        JsTokenKind kind;
        if (IsIdentifierStart(c) || (c == '\\' && Peek(1) == 'u' && ReadsEscape()))
        {
            ReadIdentifier();
            kind = JsTokenKind.Identifier;
        }
        else if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(Peek(1))))
        {
            ReadNumber();
            kind = JsTokenKind.NumericLiteral;
        }
        else if (c is '"' or '\'')
        {
            ReadString(c);
            kind = JsTokenKind.StringLiteral;
        }
        else if (c == '`')
        {
            _pos++;
            ReadTemplateChars();
            kind = JsTokenKind.Template;
        }
        else if (c == '}' && _braceDepth > 0 && IsTemplateBrace(_braceDepth))
        {
            _templateBraces &= ~(1UL << _braceDepth);
            _braceDepth--;
            _pos++;
            ReadTemplateChars();
            kind = JsTokenKind.Template;
        }
        else if (c == '/' && _regexAllowed && _pos >= _noRegexUntil && TryReadRegExp())
        {
            kind = JsTokenKind.RegExpLiteral;
        }
        else
        {
            ReadPunctuator(c);
            kind = JsTokenKind.Punctuator;
        }

        token = new JsToken(kind, start, _pos - start, newline);
        _regexAllowed = RegExpMayFollow(token);
        return true;
    }

    /// <summary>
    /// True when the identifier spelled by <paramref name="raw"/> (escapes decoded) is <paramref name="name"/>:
    /// <c>al\u0065rt</c> is <c>alert</c>.
    /// </summary>
    public static bool IdentifierEquals(ReadOnlySpan<char> raw, string name)
    {
        if (!raw.Contains('\\'))
        {
            return raw.SequenceEqual(name);
        }

        var n = 0;
        var i = 0;
        while (i < raw.Length)
        {
            int c;
            if (raw[i] == '\\')
            {
                if (!TryDecodeEscape(raw, ref i, out c))
                {
                    return false;
                }
            }
            else
            {
                c = raw[i++];
            }

            if (n >= name.Length || c != name[n])
            {
                return false;
            }

            n++;
        }

        return n == name.Length;
    }

    /// <summary>How many ASCII letters of an identifier are spelled as escapes: two in <c>\u0076\u0061lue</c>.</summary>
    public static int CountEscapedAsciiLetters(ReadOnlySpan<char> raw)
    {
        var count = 0;
        var i = raw.IndexOf('\\');
        while (i >= 0 && i < raw.Length)
        {
            if (raw[i] != '\\')
            {
                i++;
                continue;
            }

            if (!TryDecodeEscape(raw, ref i, out var c))
            {
                return count;
            }

            if (c < 0x80 && char.IsAsciiLetter((char)c))
            {
                count++;
            }
        }

        return count;
    }

    public static bool IsLineTerminator(char c) => c is '\n' or '\r' or '\u2028' or '\u2029';

    private static bool IsIdentifierStart(char c) =>
        char.IsAsciiLetter(c) || c is '$' or '_' || (c >= 0x80 && char.IsLetter(c));

    private static bool IsIdentifierPart(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '$' or '_' or '\u200C' or '\u200D' || (c >= 0x80 && char.IsLetterOrDigit(c));

    // "\u0061" or "\u{61}" at raw[i]; on success i moves past it.
    private static bool TryDecodeEscape(ReadOnlySpan<char> raw, ref int i, out int value)
    {
        value = 0;
        if (i + 1 >= raw.Length || raw[i + 1] != 'u')
        {
            return false;
        }

        var j = i + 2;
        var braced = j < raw.Length && raw[j] == '{';
        if (braced)
        {
            j++;
        }

        var digits = 0;
        while (j < raw.Length && char.IsAsciiHexDigit(raw[j]) && (braced || digits < 4) && digits < 8)
        {
            value = (value * 16) + (raw[j] <= '9' ? raw[j] - '0' : (raw[j] | 0x20) - 'a' + 10);
            j++;
            digits++;
        }

        if (digits == 0 || (!braced && digits != 4))
        {
            return false;
        }

        if (braced)
        {
            if (j >= raw.Length || raw[j] != '}')
            {
                return false;
            }

            j++;
        }

        i = j;
        return true;
    }

    private static bool IsRegExpKeyword(ReadOnlySpan<char> word) =>
        word is "return" or "typeof" or "instanceof" or "in" or "of" or "new" or "delete" or "void" or "throw"
            or "case" or "do" or "else" or "yield" or "await";

    private readonly char Peek(int offset) => _pos + offset < _source.Length ? _source[_pos + offset] : '\0';

    private readonly bool IsTemplateBrace(int depth) => depth <= MaxTemplateDepth && (_templateBraces & (1UL << depth)) != 0;

    private readonly bool RegExpMayFollow(JsToken token)
    {
        var text = _source.Slice(token.Start, token.Length);
        return token.Kind switch
        {
            JsTokenKind.Identifier => IsRegExpKeyword(text),
            JsTokenKind.Punctuator => !(text is ")" or "]" or "}"),
            JsTokenKind.Template => text[^1] == '{',
            _ => false,
        };
    }

    // Whitespace, line terminators and comments; true when a line terminator was crossed.
    private bool SkipTrivia()
    {
        var newline = false;
        while (_pos < _source.Length)
        {
            var c = _source[_pos];
            if (IsLineTerminator(c))
            {
                newline = true;
                _pos++;
            }
            else if (c is ' ' or '\t' or '\v' or '\f' or '\u00A0' or '\uFEFF' || (c >= 0x80 && char.IsWhiteSpace(c)))
            {
                _pos++;
            }
            else if (c == '/' && Peek(1) == '/')
            {
                SkipLine();
            }
            else if (c == '<' && Peek(1) == '!' && Peek(2) == '-' && Peek(3) == '-')
            {
                // Annex B: "<!--" starts a single-line comment.
                SkipLine();
            }
            else if (c == '/' && Peek(1) == '*')
            {
                var close = _source[(_pos + 2)..].IndexOf("*/", StringComparison.Ordinal);
                var end = close < 0 ? _source.Length : _pos + 2 + close + 2;
                if (_source[_pos..end].IndexOfAny('\n', '\r') >= 0 || _source[_pos..end].IndexOfAny('\u2028', '\u2029') >= 0)
                {
                    newline = true;
                }

                _pos = end;
            }
            else
            {
                break;
            }
        }

        return newline;
    }

    private void SkipLine()
    {
        while (_pos < _source.Length && !IsLineTerminator(_source[_pos]))
        {
            _pos++;
        }
    }

    private void ReadIdentifier()
    {
        while (_pos < _source.Length)
        {
            var c = _source[_pos];
            if (IsIdentifierPart(c))
            {
                _pos++;
            }
            else if (c == '\\' && Peek(1) == 'u')
            {
                // A broken escape ends the name (the backslash becomes a stray punctuator).
                var i = _pos;
                if (!TryDecodeEscape(_source, ref i, out _))
                {
                    return;
                }

                _pos = i;
            }
            else
            {
                return;
            }
        }
    }

    private readonly bool ReadsEscape()
    {
        var i = _pos;
        return TryDecodeEscape(_source, ref i, out _);
    }

    private void ReadNumber()
    {
        if (_source[_pos] == '0' && (Peek(1) | 0x20) is 'x' or 'o' or 'b')
        {
            _pos += 2;
            while (_pos < _source.Length && (char.IsAsciiLetterOrDigit(_source[_pos]) || _source[_pos] == '_'))
            {
                _pos++;
            }

            return;
        }

        SkipDigits();
        if (Peek(0) == '.')
        {
            _pos++;
            SkipDigits();
        }

        if ((Peek(0) | 0x20) == 'e' && (char.IsAsciiDigit(Peek(1)) || (Peek(1) is '+' or '-' && char.IsAsciiDigit(Peek(2)))))
        {
            _pos += 2;
            SkipDigits();
        }

        if (Peek(0) == 'n')
        {
            _pos++;
        }
    }

    private static bool ContinuesOperator(char first, char next) =>
        next == '=' || (first == '=' && next == '>') || (next == first && first is '<' or '>' or '&' or '|' or '*' or '?' or '+' or '-');

    private void SkipDigits()
    {
        while (_pos < _source.Length && (char.IsAsciiDigit(_source[_pos]) || _source[_pos] == '_'))
        {
            _pos++;
        }
    }

    private void ReadString(char quote)
    {
        _pos++;
        while (_pos < _source.Length)
        {
            var c = _source[_pos];
            if (c == '\\')
            {
                _pos += 2;
                continue;
            }

            if (c == quote)
            {
                _pos++;
                return;
            }

            if (IsLineTerminator(c))
            {
                return;
            }

            _pos++;
        }

        _pos = Math.Min(_pos, _source.Length);
    }

    // Template characters up to the closing '`' or an opening "${".
    private void ReadTemplateChars()
    {
        while (_pos < _source.Length)
        {
            var c = _source[_pos];
            if (c == '\\')
            {
                _pos += 2;
                continue;
            }

            if (c == '`')
            {
                _pos++;
                return;
            }

            if (c == '$' && Peek(1) == '{')
            {
                _pos += 2;
                _braceDepth++;
                if (_braceDepth <= MaxTemplateDepth)
                {
                    _templateBraces |= 1UL << _braceDepth;
                }

                return;
            }

            _pos++;
        }

        _pos = Math.Min(_pos, _source.Length);
    }

    private bool TryReadRegExp()
    {
        var i = _pos + 1;
        var inClass = false;
        while (i < _source.Length)
        {
            var c = _source[i];
            if (IsLineTerminator(c))
            {
                break;
            }

            if (c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == '[')
            {
                inClass = true;
            }
            else if (c == ']')
            {
                inClass = false;
            }
            else if (c == '/' && !inClass)
            {
                _pos = i + 1;
                while (_pos < _source.Length && IsIdentifierPart(_source[_pos]))
                {
                    _pos++;
                }

                return true;
            }

            i++;
        }

        // Not a regular expression after all: read '/' as division and stop trying on this line, which keeps
        // inputs such as "/[/[/[" linear.
        var lineEnd = _pos;
        while (lineEnd < _source.Length && !IsLineTerminator(_source[lineEnd]))
        {
            lineEnd++;
        }

        _noRegexUntil = lineEnd;
        return false;
    }

    private void ReadPunctuator(char c)
    {
        _pos++;
        switch (c)
        {
            case '{':
                _braceDepth++;
                if (_braceDepth <= MaxTemplateDepth)
                {
                    _templateBraces &= ~(1UL << _braceDepth);
                }

                return;
            case '}':
                if (_braceDepth > 0)
                {
                    _braceDepth--;
                }

                return;
            case '=' or '<' or '>' or '!' or '+' or '-' or '*' or '%' or '&' or '|' or '^' or '~' or '?' or '/':
                // Operators take the longest run that still forms one ("===", ">>>=", "=>", "&&", "++").
                var length = 1;
                while (length < 4 && _pos < _source.Length && ContinuesOperator(c, _source[_pos]))
                {
                    _pos++;
                    length++;
                }

                return;
            default:
                return;
        }
    }
}
