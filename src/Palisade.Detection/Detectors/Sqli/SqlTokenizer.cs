namespace Palisade.Detection.Detectors.Sqli;

/// <summary>
/// Reads SQL text as tokens, the way a database's lexer would, across the dialects an injection may target
/// (MySQL, PostgreSQL, SQL Server, Oracle, SQLite). It never allocates and never looks back: every call to
/// <see cref="Next"/> consumes at least one character, so a value is tokenized in linear time.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Strings: <c>'...'</c> and <c>"..."</c> with doubled-quote and backslash escapes, prefixed forms
/// (<c>N'..'</c>, <c>X'..'</c>, <c>B'..'</c>, <c>E'..'</c>) and PostgreSQL's <c>$$...$$</c>. An unterminated
/// string runs to the end and is marked so.</item>
/// <item>Numbers: <c>42</c>, <c>1.5</c>, <c>.5</c>, <c>1.</c>, <c>1e5</c>, <c>1.e3</c>, <c>0x41</c>, <c>0b101</c>.
/// Digits directly followed by letters (<c>1a</c>, <c>70s</c>) are a MySQL identifier, not a number, unless the
/// letters are a word that starts or joins a query (<c>1FROM</c>, <c>0xUNION</c>): SQL Server ends a number, and
/// an empty <c>0x</c> binary constant, at the first letter. SQL Server's money constants may be written with a
/// backslash for a currency sign (<c>\1</c>, and a bare <c>\</c> for zero): they are numbers too.
/// <see cref="GluedKeywords"/> counts keywords glued to a number that way, an evasion device.</item>
/// <item>Comments: <c>--</c> and <c>#</c> to the end of the line, <c>/* */</c>. MySQL's versioned comments
/// <c>/*!50000 ... */</c> are not comments at all for MySQL: their content is read as SQL and the closing
/// <c>*/</c> is skipped. <see cref="VersionedComments"/> counts them, since they are an evasion device.</item>
/// <item>Whitespace: every control character and the no-break space, which MySQL also accepts. MySQL's lexer
/// also drops a number written with an empty exponent (<c>1.e</c>) before <c>(</c>, <c>)</c>, <c>,</c>, <c>.</c>
/// or a space: <c>1.e(ascii 1.e(substring(...</c> reads as <c>(ascii (substring(...</c>. Such numbers are skipped
/// like whitespace and counted in <see cref="EmptyExponents"/>, an evasion device too.</item>
/// </list>
/// </remarks>
internal ref struct SqlTokenizer
{
    private const int MaxBracketedName = 128;

    private readonly ReadOnlySpan<char> _text;
    private readonly bool _plusIsSpace;
    private int _position;
    private int _versionedDepth;

    // Where the last number a keyword may be glued to ended (-1: none).
    private int _glueEnd = -1;

    /// <param name="text">The text to read.</param>
    /// <param name="start">Where to start reading.</param>
    /// <param name="plusIsSpace">Read <c>+</c> as a space, as form encoding writes it (<c>UNION+SELECT</c>).</param>
    public SqlTokenizer(ReadOnlySpan<char> text, int start = 0, bool plusIsSpace = false)
    {
        _text = text;
        _position = start;
        _plusIsSpace = plusIsSpace;
    }

    /// <summary>How many MySQL versioned comments (<c>/*!...</c>) were opened so far.</summary>
    public int VersionedComments { get; private set; }

    /// <summary>How many numbers with an empty exponent (<c>1.e</c>) MySQL drops were skipped so far.</summary>
    public int EmptyExponents { get; private set; }

    /// <summary>
    /// How many keywords were read glued to the number before them (<c>1FROM</c>, <c>0.e3UNION</c>, <c>\1AND</c>,
    /// <c>0xUNION</c>) so far: SQL only a database's lexer splits, written to slip past other readers. A plain
    /// decimal does not count (<c>1.Select</c> is a numbered list).
    /// </summary>
    public int GluedKeywords { get; private set; }

    /// <summary>Reads the next token; false (and an <see cref="SqlTokenKind.End"/> token) at the end of the text.</summary>
    public bool Next(out SqlToken token)
    {
        while (true)
        {
            SkipWhitespace();
            if (_position >= _text.Length)
            {
                token = new SqlToken(SqlTokenKind.End, _text.Length, 0);
                return false;
            }

            if (TryOpenVersionedComment())
            {
                continue;
            }

            token = ReadToken(_position);
            return true;
        }
    }

    /// <summary>
    /// The index of the quote that ends a string the application opened with <paramref name="quote"/> just
    /// before <paramref name="text"/>: the first <paramref name="quote"/> that is neither doubled nor escaped
    /// with a backslash. -1 when the text stays inside the string.
    /// </summary>
    public static int FindClosingQuote(ReadOnlySpan<char> text, char quote)
    {
        var i = 0;
        while (true)
        {
            // Jump to the next quote or backslash (a vectorised search): most values hold neither.
            var next = text[i..].IndexOfAny(quote, '\\');
            if (next < 0)
            {
                return -1;
            }

            i += next;
            if (text[i] == '\\')
            {
                i += 2;
            }
            else if (i + 1 < text.Length && text[i + 1] == quote)
            {
                i += 2;
            }
            else
            {
                return i;
            }

            if (i >= text.Length)
            {
                return -1;
            }
        }
    }

    /// <summary>The index of the first <paramref name="quote"/> preceded by a backslash, or -1.</summary>
    public static int FindBackslashedQuote(ReadOnlySpan<char> text, char quote)
    {
        var i = text.IndexOf(quote);
        while (i >= 0)
        {
            if (i > 0 && text[i - 1] == '\\')
            {
                return i;
            }

            var next = text[(i + 1)..].IndexOf(quote);
            i = next < 0 ? -1 : i + 1 + next;
        }

        return -1;
    }

    public static bool IsWhitespace(char c) => c <= ' ' || c == '\u00a0' || c == '\u007f';

    public static bool IsWordStart(char c) =>
        char.IsAsciiLetter(c) || c == '_' || c == '$' || (c >= 0x80 && char.IsLetter(c));

    public static bool IsWordPart(char c) =>
        char.IsAsciiLetterOrDigit(c) || c == '_' || c == '$' || (c >= 0x80 && char.IsLetterOrDigit(c));

    private readonly char At(int index) => index < _text.Length ? _text[index] : '\0';

    private readonly bool IsDigitAt(int index) => index < _text.Length && char.IsAsciiDigit(_text[index]);

    private void SkipWhitespace()
    {
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (IsWhitespace(c) || (c == '+' && _plusIsSpace))
            {
                _position++;
            }
            else if (c == '*' && _versionedDepth > 0 && At(_position + 1) == '/')
            {
                // The end of a /*! versioned comment: its content was SQL, its closer is not.
                _versionedDepth--;
                _position += 2;
            }
            else if (char.IsAsciiDigit(c) && EmptyExponentLength(_position) is > 0 and var length)
            {
                EmptyExponents++;
                _position += length;
            }
            else
            {
                return;
            }
        }
    }

    // digits '.' 'e' before '(' ')' ',' '.' or whitespace: a number MySQL's lexer drops (its length), else 0.
    private readonly int EmptyExponentLength(int start)
    {
        var i = start;
        while (IsDigitAt(i))
        {
            i++;
        }

        if (At(i) != '.' || (At(i + 1) | 0x20) != 'e')
        {
            return 0;
        }

        var next = At(i + 2);
        return next is '(' or ')' or ',' or '.' || (i + 2 < _text.Length && IsWhitespace(next)) ? i + 2 - start : 0;
    }

    private SqlToken ReadToken(int start)
    {
        var c = _text[start];
        return c switch
        {
            '\'' or '"' => ReadString(start, start, c),
            '`' => ReadQuotedIdentifier(start, '`'),
            '[' => ReadBracketIdentifier(start),
            '@' => ReadVariable(start),
            '#' when (At(start + 1) == '>' && At(start + 2) != ' ') || (At(start + 1) == '-' && (At(start + 2) is not (' ' or '-') || At(start + 3) == '\'')) =>
                ReadPostgresJsonOperator(start),
            '#' => ReadLineComment(start),
            '(' => Single(SqlTokenKind.LeftParen),
            ')' => Single(SqlTokenKind.RightParen),
            ',' => Single(SqlTokenKind.Comma),
            ';' => Single(SqlTokenKind.Semicolon),
            '{' => Single(SqlTokenKind.LeftBrace),
            '}' => Single(SqlTokenKind.RightBrace),
            '.' when !IsDigitAt(start + 1) => Single(SqlTokenKind.Dot),
            '-' when At(start + 1) == '-' => ReadLineComment(start),
            '/' when At(start + 1) == '*' => ReadBlockComment(start),
            '$' when At(start + 1) == '$' => ReadDollarString(start),
            '\\' when At(start + 1) == 'N' => ReadWordAs(start, 2, SqlKeyword.Null),
            '\\' when IsDigitAt(start + 1) || (At(start + 1) == '.' && IsDigitAt(start + 2)) || GlueKeywordLength(start + 1) > 0 => ReadMoney(start),
            _ when char.IsAsciiDigit(c) || c == '.' => ReadNumber(start),
            _ when IsWordStart(c) => ReadWord(start),
            _ => ReadOperator(start, c),
        };
    }

    private SqlToken Single(SqlTokenKind kind) => new(kind, _position++, 1);

    private SqlToken ReadString(int start, int quoteAt, char quote)
    {
        var i = quoteAt + 1;
        while (i < _text.Length)
        {
            var c = _text[i];
            if (c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == quote)
            {
                if (At(i + 1) == quote)
                {
                    i += 2;
                    continue;
                }

                _position = i + 1;
                return new SqlToken(SqlTokenKind.String, start, _position - start, Quote: quote);
            }

            i++;
        }

        _position = _text.Length;
        return new SqlToken(SqlTokenKind.String, start, _position - start, Quote: quote, Unterminated: true);
    }

    private SqlToken ReadDollarString(int start)
    {
        var close = _text[(start + 2)..].IndexOf("$$", StringComparison.Ordinal);
        var unterminated = close < 0;
        _position = unterminated ? _text.Length : start + 2 + close + 2;
        return new SqlToken(SqlTokenKind.String, start, _position - start, Quote: '$', Unterminated: unterminated);
    }

    private SqlToken ReadQuotedIdentifier(int start, char close)
    {
        var i = start + 1;
        while (i < _text.Length)
        {
            if (_text[i] == close)
            {
                if (close == '`' && At(i + 1) == '`')
                {
                    i += 2;
                    continue;
                }

                _position = i + 1;
                return new SqlToken(SqlTokenKind.QuotedIdentifier, start, _position - start, Quote: close);
            }

            i++;
        }

        _position = _text.Length;
        return new SqlToken(SqlTokenKind.QuotedIdentifier, start, _position - start, Quote: close, Unterminated: true);
    }

    // SQL Server's [name]: names are at most 128 characters, so only a bracket closed within that distance on
    // the same line is an identifier (looking no further keeps "[[[[..." linear); a name that runs to the end of
    // the text (;truncate[xx) is one cut off, as a backticked one is; anything else is a lone '['.
    private SqlToken ReadBracketIdentifier(int start)
    {
        var rest = _text[(start + 1)..];
        var cutOff = rest.Length <= MaxBracketedName && IsWordStart(At(start + 1));
        rest = rest[..Math.Min(rest.Length, MaxBracketedName + 1)];
        var close = rest.IndexOfAny(']', '\n');
        if (close < 0 && cutOff && IsWordRun(rest))
        {
            _position = _text.Length;
            return new SqlToken(SqlTokenKind.QuotedIdentifier, start, _position - start, Quote: ']', Unterminated: true);
        }

        if (close < 0 || rest[close] != ']')
        {
            return Single(SqlTokenKind.Other);
        }

        _position = start + close + 2;
        return new SqlToken(SqlTokenKind.QuotedIdentifier, start, _position - start, Quote: ']');
    }

    private static bool IsWordRun(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!IsWordPart(c))
            {
                return false;
            }
        }

        return true;
    }

    private SqlToken ReadVariable(int start)
    {
        if (At(start + 1) is '>' or '?' || (At(start + 1) == '@' && IsWhitespace(At(start + 2))))
        {
            // PostgreSQL's @> (contains), @? and @@ (JSON path and text search matches).
            _position = start + 2;
            return new SqlToken(SqlTokenKind.Operator, start, 2, Operator: SqlOperator.Comparison);
        }

        if (start + 1 < _text.Length && IsWhitespace(_text[start + 1]) && start > 0 && IsWhitespace(_text[start - 1]))
        {
            // PostgreSQL's @ set apart by spaces: its geometric "contained in" ('{"b":2}'::jsonb @ '{...}'::jsonb).
            _position = start + 1;
            return new SqlToken(SqlTokenKind.Operator, start, 1, Operator: SqlOperator.Bitwise);
        }

        if (At(start + 1) == '@')
        {
            var end = WordEnd(start + 2);
            if (end > start + 2)
            {
                _position = end;
                return new SqlToken(SqlTokenKind.SystemVariable, start, end - start);
            }
        }

        var next = At(start + 1);
        if (next is '\'' or '"' or '`')
        {
            var quoted = next == '`' ? ReadQuotedIdentifier(start + 1, '`') : ReadString(start + 1, start + 1, next);
            return new SqlToken(SqlTokenKind.Variable, start, quoted.End - start);
        }

        // MySQL's @. (a variable named "."): the dot, and any name after it, belong to the variable.
        var nameStart = start + 1;
        while (At(nameStart) == '.')
        {
            nameStart++;
        }

        _position = WordEnd(nameStart);
        return new SqlToken(SqlTokenKind.Variable, start, _position - start);
    }

    // PostgreSQL's #> and #>> (path extraction) and #- (path deletion); MySQL would read a comment. "#--" is a
    // comment either way: no one deletes a path given by a negative number. "#- '{1,b}'" is the documented
    // spelling of a deletion: a comment seldom opens with a dash, a space and a quote.
    private SqlToken ReadPostgresJsonOperator(int start)
    {
        var length = At(start + 1) == '>' && At(start + 2) == '>' ? 3 : 2;
        _position = start + length;
        return new SqlToken(SqlTokenKind.Operator, start, length, Operator: SqlOperator.Json);
    }

    private SqlToken ReadLineComment(int start)
    {
        var newline = _text[start..].IndexOf('\n');
        _position = newline < 0 ? _text.Length : start + newline;
        return new SqlToken(SqlTokenKind.LineComment, start, _position - start);
    }

    // /*!50000 ...: MySQL runs what follows; skip the opener and its optional version number.
    private bool TryOpenVersionedComment()
    {
        var start = _position;
        if (_text[start] != '/' || At(start + 1) != '*' || At(start + 2) != '!')
        {
            return false;
        }

        // The digits are a version when there are five or six of them (50000, 80023) or when a word follows
        // at once (/*!0UNION); otherwise (/*!1*/) they are content.
        var i = start + 3;
        var digits = 0;
        while (digits < 7 && IsDigitAt(i + digits))
        {
            digits++;
        }

        var version = digits is 5 or 6 || (digits > 0 && i + digits < _text.Length && char.IsAsciiLetter(_text[i + digits]));
        _position = version ? i + digits : i;
        _versionedDepth++;
        VersionedComments++;
        return true;
    }

    private SqlToken ReadBlockComment(int start)
    {
        var close = _text[(start + 2)..].IndexOf("*/", StringComparison.Ordinal);
        var unterminated = close < 0;
        _position = unterminated ? _text.Length : start + 2 + close + 2;
        return new SqlToken(SqlTokenKind.BlockComment, start, _position - start, Unterminated: unterminated);
    }

    private SqlToken ReadNumber(int start)
    {
        var i = start;
        if (_text[i] == '0' && (At(i + 1) | 0x20) == 'x' && char.IsAsciiHexDigit(At(i + 2)))
        {
            i += 2;
            while (i < _text.Length && char.IsAsciiHexDigit(_text[i]))
            {
                i++;
            }

            return Glue(new SqlToken(SqlTokenKind.Number, start, i - start));
        }

        if (_text[i] == '0' && (At(i + 1) | 0x20) == 'x' && GlueKeywordLength(i + 2) > 0)
        {
            // SQL Server's empty binary constant before a keyword: 0xUNION.
            return Glue(new SqlToken(SqlTokenKind.Number, start, 2));
        }

        if (_text[i] == '0' && (At(i + 1) | 0x20) == 'b' && At(i + 2) is '0' or '1')
        {
            i += 2;
            while (At(i) is '0' or '1')
            {
                i++;
            }

            return Glue(new SqlToken(SqlTokenKind.Number, start, i - start));
        }

        while (IsDigitAt(i))
        {
            i++;
        }

        var isDecimal = false;
        if (At(i) == '.')
        {
            isDecimal = true;
            i++;
            while (IsDigitAt(i))
            {
                i++;
            }
        }

        var hasExponent = false;
        if ((At(i) | 0x20) == 'e')
        {
            var j = i + 1;
            if (At(j) is '+' or '-')
            {
                j++;
            }

            if (IsDigitAt(j))
            {
                hasExponent = true;
                i = j;
                while (IsDigitAt(i))
                {
                    i++;
                }
            }
        }

        // MySQL reads "1a" or "70s" as one identifier; "1.5e" or "1.UNION" stay a number and a word, and so does
        // "1FROM" for SQL Server (not %20FROM: a percent-escape nobody decoded).
        if (!isDecimal && !hasExponent && i < _text.Length && IsWordPart(_text[i])
            && (GlueKeywordLength(i) == 0 || (start > 0 && _text[start - 1] == '%')))
        {
            _position = WordEnd(i);
            return new SqlToken(SqlTokenKind.Identifier, start, _position - start);
        }

        var number = new SqlToken(SqlTokenKind.Number, start, i - start);
        return isDecimal && !hasExponent ? Set(number) : Glue(number);
    }

    // SQL Server's money constant with a backslash for its currency sign: \1, \1.5, and \ alone (zero) before a keyword.
    private SqlToken ReadMoney(int start)
    {
        var i = start + 1;
        while (IsDigitAt(i))
        {
            i++;
        }

        if (At(i) == '.')
        {
            i++;
            while (IsDigitAt(i))
            {
                i++;
            }
        }

        return Glue(new SqlToken(SqlTokenKind.Number, start, i - start));
    }

    // A number a keyword right after it would be glued to.
    private SqlToken Glue(SqlToken number)
    {
        _position = number.End;
        _glueEnd = number.End;
        return number;
    }

    private SqlToken Set(SqlToken number)
    {
        _position = number.End;
        return number;
    }

    // The length of the word at index when it is one that starts or joins a query, else 0.
    private readonly int GlueKeywordLength(int index)
    {
        if (!IsWordStart(At(index)))
        {
            return 0;
        }

        var end = WordEnd(index);
        return SqlKeywords.Find(_text[index..end]) is SqlKeyword.Select or SqlKeyword.From or SqlKeyword.Where
            or SqlKeyword.Union or SqlKeyword.Except or SqlKeyword.Intersect ? end - index : 0;
    }

    private SqlToken ReadWord(int start)
    {
        var end = WordEnd(start);

        // N'..', X'..', B'..', E'..': a one-letter prefix glued to a string literal.
        if (end == start + 1 && At(end) == '\'' && (_text[start] | 0x20) is 'n' or 'x' or 'b' or 'e')
        {
            return ReadString(start, end, '\'');
        }

        _position = end;
        var keyword = SqlKeywords.Find(_text[start..end]);
        if (keyword != SqlKeyword.None && start == _glueEnd)
        {
            GluedKeywords++;
        }

        return keyword == SqlKeyword.None
            ? new SqlToken(SqlTokenKind.Identifier, start, end - start)
            : new SqlToken(SqlTokenKind.Keyword, start, end - start, keyword);
    }

    // MySQL's \N is NULL.
    private SqlToken ReadWordAs(int start, int length, SqlKeyword keyword)
    {
        _position = start + length;
        return new SqlToken(SqlTokenKind.Keyword, start, length, keyword);
    }

    private readonly int WordEnd(int from)
    {
        var i = from;
        while (i < _text.Length && IsWordPart(_text[i]))
        {
            i++;
        }

        return i;
    }

    private SqlToken ReadOperator(int start, char c)
    {
        var next = At(start + 1);
        var (op, length) = c switch
        {
            // === and !== (JavaScript's strict comparisons, what a $where or ORM filter evaluates) compare too.
            '=' => (SqlOperator.Comparison, next != '=' ? 1 : At(start + 2) == '=' ? 3 : 2),
            '<' when next == '=' && At(start + 2) == '>' => (SqlOperator.Comparison, 3),
            '<' when next is '=' or '>' or '@' => (SqlOperator.Comparison, 2),
            '<' when next == '<' => (SqlOperator.Bitwise, 2),
            '<' => (SqlOperator.Comparison, 1),
            '>' when next == '=' => (SqlOperator.Comparison, 2),
            '>' when next == '>' => (SqlOperator.Bitwise, 2),
            '>' => (SqlOperator.Comparison, 1),
            '!' when next == '=' && At(start + 2) == '=' => (SqlOperator.Comparison, 3),
            '!' when next is '=' or '<' or '>' => (SqlOperator.Comparison, 2),
            '!' => (SqlOperator.Bang, 1),
            '|' when next == '|' => (SqlOperator.DoublePipe, 2),
            '|' => (SqlOperator.Bitwise, 1),
            '&' when next == '&' => (SqlOperator.DoubleAmpersand, 2),
            '&' => (SqlOperator.Bitwise, 1),
            '^' => (SqlOperator.Bitwise, 1),
            '~' => (SqlOperator.Tilde, next == '*' ? 2 : 1),
            '-' when next == '>' => (SqlOperator.Json, At(start + 2) == '>' ? 3 : 2),
            '+' or '-' or '*' or '/' or '%' => (SqlOperator.Arithmetic, 1),
            ':' when next == '=' => (SqlOperator.Assign, 2),
            ':' when next == ':' => (SqlOperator.Cast, 2),
            '?' when next is '|' or '&' => (SqlOperator.Comparison, 2),

            // PostgreSQL's jsonb "has key" operator, only as a spaced operator: "?x=1" is a query string.
            '?' when start > 0 && IsWhitespace(_text[start - 1]) && IsWhitespace(next) => (SqlOperator.Comparison, 1),
            _ => (SqlOperator.None, 1),
        };

        _position = start + length;
        return op == SqlOperator.None
            ? new SqlToken(SqlTokenKind.Other, start, length)
            : new SqlToken(SqlTokenKind.Operator, start, length, Operator: op);
    }
}
