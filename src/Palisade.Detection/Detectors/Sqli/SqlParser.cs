namespace Palisade.Detection.Detectors.Sqli;

/// <summary>
/// Reads a value as the SQL it would become inside an application's query and collects the evidence that it
/// changes that query. It is a recursive-descent parser over <see cref="SqlTokenizer"/> with three tokens of
/// lookahead; it never backtracks, and nesting is bounded, so a value costs time linear in its length.
/// </summary>
/// <remarks>
/// <para>The parser starts where the value enters the query (<see cref="SqlEntry"/>): after the quote that
/// broke out of a string, before an operand, after an operand, or as a statement of its own. From there the
/// value must read as a valid continuation of the query: an operator and an operand, AND/OR and a condition,
/// <c>UNION SELECT</c>, a clause (<c>ORDER BY</c>, <c>LIMIT</c>, <c>INTO OUTFILE</c>), a stacked statement,
/// a comment that cuts the rest off, or a string it reopens for the application's own closing quote.</para>
/// <para>Evidence comes in two strengths. Strong evidence (UNION SELECT, a stacked statement, a time-delay,
/// file or command function...) stands as soon as a grammatical prefix of the value reaches it. Weak evidence
/// (a tautology, a boolean condition, a trailing comment) stands only if the whole value parses, because
/// plain text sometimes looks like the start of a condition but never reads as SQL to its end.</para>
/// </remarks>
internal ref partial struct SqlParser
{
    private const int MaxDepth = 32;

    private readonly ReadOnlySpan<char> _text;
    private readonly char _quote;
    private readonly int _breakOut;
    private readonly bool _plusIsSpace;

    // The text before the break-out is one value (possibly empty: a login, an id, an e-mail), not a phrase, and
    // not code that opened the string itself (sep="--", f(", [").
    private readonly bool _closedSingleValue;
    private SqlEntry _entry;
    private SqlTokenizer _tokenizer;
    private SqlToken _t0;
    private SqlToken _t1;
    private SqlToken _t2;
    private int _previousEnd;
    private SqlToken _last;
    private int _depth;
    private bool _tooDeep;
    private bool _skimming;
    private bool _skimEndedWithSeparator;
    private bool _endsWithSeparator;
    private bool _obfuscated;
    private bool _gluedKeyword;
    private int _statementDepth;
    private bool _leadIsWord;

    // The lead operand is what no prose starts with: a negative number (-1, the id that empties the application's
    // own result before a UNION), a whole CASE ... END, a subquery or a call of a SQL function.
    private bool _leadIsSql;

    // CASE expressions read to their END.
    private int _closedCases;
    private bool _leadIsTypedLiteral;

    // An operator glued to the break-out quote computed on a column or variable (1'^column..., 1'*@a...).
    private bool _gluedOperation;
    private SqlFinding _committed;
    private SqlFinding _proposed;

    // Comments: a run of comments between two tokens is "inline" (obfuscation); a run at the end truncates.
    private int _commentRunStart;
    private bool _commentRunBare;
    private int _trailingCommentStart;
    private bool _trailingCommentBare;
    private int _inlineComments;
    private int _commentRunEnd;
    private int _lastTokenEnd = -1;
    private bool _lastTokenWordLike;
    private bool _lastTokenKeyword;
    private bool _lastTokenName;

    // What the whole reading met.
    private bool _sawFunction;
    private bool _sawKnownFunction;
    private bool _sawSubquery;
    private bool _sawParentheses;
    private bool _sawFrom;
    private int _characterCodeCalls;

    private SqlParser(ReadOnlySpan<char> text, int start, int breakOut, char quote, bool plusIsSpace = false)
    {
        _text = text;
        _quote = quote;
        _breakOut = breakOut;
        _plusIsSpace = plusIsSpace;
        _closedSingleValue = breakOut >= 0 && BeforeBreakOut(text, breakOut).IndexOfAny(SqlCharacters.Whitespace) < 0
            && !(plusIsSpace && BeforeBreakOut(text, breakOut).Contains('+'))
            && (breakOut == 0 || text[breakOut - 1] is not ('=' or ':' or '(' or '[' or '{' or ','));
        _tokenizer = new SqlTokenizer(text, start, plusIsSpace);
        _commentRunStart = -1;
        _trailingCommentStart = -1;
        _previousEnd = start;
        _t0 = Read();
        _t1 = Read();
        _t2 = Read();
    }

    // The value before the quote that broke out; for a backslashed quote (\' written to defeat escaping), only its
    // line: "newline\n\' and 1" puts the break-out at the start of a line of its own.
    private static ReadOnlySpan<char> BeforeBreakOut(ReadOnlySpan<char> text, int breakOut)
    {
        var before = text[..breakOut];
        return breakOut > 0 && text[breakOut - 1] == '\\' ? before[(before.LastIndexOf('\n') + 1)..] : before;
    }

    /// <summary>
    /// Reads the value as if it sat inside a string the application opened with <paramref name="quote"/> and
    /// the quote at <paramref name="breakOut"/> closed that string.
    /// </summary>
    public static SqlFinding AnalyzeBreakOut(ReadOnlySpan<char> text, int breakOut, char quote, bool plusIsSpace = false)
    {
        var parser = new SqlParser(text, breakOut + 1, breakOut, quote, plusIsSpace)
        {
            _entry = SqlEntry.BreakOut,
        };
        return parser.Run();
    }

    /// <summary>Reads the value as if the application placed it in the query without quotes (a number, a name).</summary>
    /// <param name="text">The value.</param>
    /// <param name="plusIsSpace">Read <c>+</c> as a space (form encoding left undecoded).</param>
    public static SqlFinding AnalyzeUnquoted(ReadOnlySpan<char> text, bool plusIsSpace = false)
    {
        var parser = new SqlParser(text, 0, -1, '\0', plusIsSpace);
        parser._entry = parser.ChooseUnquotedEntry();
        return parser.Run();
    }

    private SqlFinding Run()
    {
        var parsed = _entry switch
        {
            SqlEntry.BreakOut => ParseContinuation(BreakOutString(), leadingOperator: true),
            SqlEntry.Operand => ParseLeadOperand(),
            SqlEntry.Suffix => ParseContinuation(SqlOperand.None, leadingOperator: true),
            _ => ParseStatementEntry(),
        };

        // A posted statement is judged only by what it touches (strong evidence), never by its conditions.
        if (_entry == SqlEntry.Statement)
        {
            return _committed;
        }

        var complete = parsed && !_tooDeep && _t0.Kind == SqlTokenKind.End;
        if (!complete)
        {
            return _committed;
        }

        ProposeEndings();
        return _committed.Max(_proposed);
    }

    private SqlEntry ChooseUnquotedEntry()
    {
        if (IsStatementKeyword(_t0) && !(IsFunctionKeyword(_t0.Keyword) && _t1.Kind == SqlTokenKind.LeftParen))
        {
            return SqlEntry.Statement;
        }

        return CanStartOperand(_t0) ? SqlEntry.Operand : SqlEntry.Suffix;
    }

    // The string the application opened and the value closed: a literal whose content is the text before the quote.
    private readonly SqlOperand BreakOutString() =>
        new(SqlOperandKind.Literal, new SqlToken(SqlTokenKind.String, -1, _breakOut, Quote: _quote));

    private bool ParseLeadOperand()
    {
        var shape = new SqlShape();
        var opensCase = _t0.Is(SqlKeyword.Case) || (_t0.Kind == SqlTokenKind.LeftParen && _t1.Is(SqlKeyword.Case));
        var negative = _t0.Is(SqlOperator.Arithmetic) && _text[_t0.Start] == '-' && _t1.Kind == SqlTokenKind.Number && _t1.Start == _t0.End;
        if (!ParseExpression(stopAtConnective: true, ref shape, out var lead))
        {
            return false;
        }

        _leadIsSql = (negative && lead.IsLiteral && _last.Kind == SqlTokenKind.Number)
            || (opensCase && _closedCases > 0) || lead.Kind == SqlOperandKind.Subquery
            || (lead.Kind == SqlOperandKind.Function && shape.HasKnownFunction);

        if (opensCase && _t0.Kind == SqlTokenKind.End && (_last.Is(SqlKeyword.End) || _last.Kind == SqlTokenKind.RightParen)
            && (shape.HasSubquery || (!shape.HasIdentifier && (shape.HasKnownFunction || shape.HasComparison))))
        {
            // case sin(1) when 2 then 2 end: a whole CASE expression that branches on constants (or a subquery),
            // the conditional a sort or select list is given to ask the database a yes/no question, as IF(7423=7424)
            // does. One over the query's columns (CASE WHEN price > 100 ...) is posted SQL, and prose does not read
            // as CASE ... WHEN ... END to its end.
            Propose(SqlEvidence.BooleanCondition, 0, _previousEnd);
        }

        _leadIsWord = lead.Kind == SqlOperandKind.Identifier;
        _leadIsTypedLiteral = shape.HasTypedLiteral;
        if (shape.HasTautology && shape.HasLiteralComparison)
        {
            Propose(SqlEvidence.Tautology, 0, _previousEnd);
        }
        else if (shape.HasQuotedComparison)
        {
            // '1001'='10: two SQL strings compared, the second left for the application's closing quote.
            Propose(SqlEvidence.BooleanCondition, 0, _previousEnd);
        }
        else if (shape.HasTypedLiteral && shape.HasOperation)
        {
            // '[1, 2]'::jsonb || '3'::jsonb: an expression over PostgreSQL's typed constants.
            Propose(SqlEvidence.TypedLiteral, 0, _previousEnd);
        }

        return ParseContinuation(lead, leadingOperator: false);
    }

    /// <summary>
    /// The query after an operand: what an injection appends. Each step must be grammatical; the value may
    /// end wherever the query could (the application's remaining text then follows).
    /// </summary>
    private bool ParseContinuation(SqlOperand previous, bool leadingOperator)
    {
        var closedOuter = -1;
        while (!_skimming)
        {
            var t = _t0;
            switch (t.Kind)
            {
                case SqlTokenKind.End:
                    return true;

                case SqlTokenKind.RightParen:
                    // Closes a parenthesis the application opened: ') or ('1'='1.
                    closedOuter = t.Start;
                    Advance();
                    previous = new SqlOperand(SqlOperandKind.Other, default);
                    continue;

                case SqlTokenKind.Semicolon:
                    Advance();
                    if (t.Start > _breakOut + 1 && IsBalancingQuote(_t0))
                    {
                        // admin' and likelihood(id,.0));' : the statement ends, and a lone quote reopens a string
                        // for the application's closing quote, so that its text after the value is left harmless.
                        // (Not right after the break-out: ';' is a quoted separator.)
                        Advance();
                    }

                    if (_t0.Kind is SqlTokenKind.End or SqlTokenKind.Semicolon)
                    {
                        _endsWithSeparator = _t0.Kind == SqlTokenKind.End;
                        continue;
                    }

                    if (TryParseWordStatement(t.Start, out var wordStatementParsed))
                    {
                        if (!wordStatementParsed)
                        {
                            return false;
                        }

                        continue;
                    }

                    if (IsName(_t0) && _t1.Kind == SqlTokenKind.LeftParen && IsDangerousCall(_t0))
                    {
                        // ; sleep(5): a call of its own after the separator (SELECT left out).
                        var call = new SqlShape();
                        if (!ParseOperand(ref call, out previous))
                        {
                            return false;
                        }

                        continue;
                    }

                    if (!ParseStackedStatement(t.Start, explicitSeparator: true))
                    {
                        return false;
                    }

                    continue;

                case SqlTokenKind.Comma:
                    // Another item of a list the application opened: VALUES (..., x), IN (..., x), a select list.
                    Advance();
                    var itemShape = new SqlShape();
                    if (!ParseExpression(stopAtConnective: false, ref itemShape, out previous))
                    {
                        return false;
                    }

                    EvaluateComparison(itemShape, t.Start, leadingOperator: false);
                    continue;
            }

            if (IsConnective(t))
            {
                var ignored = new SqlShape();
                if (!ParseCondition(ref ignored))
                {
                    return false;
                }

                leadingOperator = false;
                continue;
            }

            if (IsBinaryOperator(t) || IsPredicateStart(t))
            {
                var operatorWord = t.Is(SqlKeyword.Not) ? _t1 : t;
                var shape = new SqlShape();
                var rightStart = IsBinaryOperator(t) ? _t1.Start : -1;
                SqlOperand right;
                if (IsBinaryOperator(t))
                {
                    Advance();
                    var operandToken = _t0;
                    if (!ParseRightOperand(ref shape, out right))
                    {
                        if (leadingOperator && IsComparison(t) && IsOpenOtherQuoteString(operandToken) && StartsWithBreakOut(t.Start))
                        {
                            // '="or': the value opens with the break-out quote and compares it with a string in the
                            // other quote, which runs to the value's end and so over the application's own closing
                            // quote and the query text after it. The comparison is the break-out's.
                            Commit(SqlEvidence.BooleanCondition, t.Start, operandToken.End);
                        }

                        return false;
                    }

                    if (IsComparison(t))
                    {
                        shape.AddComparison(previous, right, _text, IsInequality(t));
                    }
                }
                else
                {
                    if (!ParsePredicate(previous, ref shape))
                    {
                        return false;
                    }

                    right = default;
                }

                EvaluateOperatorAfterEntry(t, operatorWord, shape, leadingOperator, rightStart);
                _gluedOperation |= leadingOperator && _entry == SqlEntry.BreakOut && t.Start == _breakOut + 1
                    && t.Kind == SqlTokenKind.Operator && !IsComparison(t) && _text[t.Start] != '+' && shape.HasIdentifier;
                previous = IsComparison(t) || right.Kind == SqlOperandKind.None ? new SqlOperand(SqlOperandKind.Other, default) : right;
                leadingOperator = false;
                continue;
            }

            if (!HasConsumed && _entry == SqlEntry.BreakOut && ClosedSingleValue() && IsSpace(_text[t.Start - 1])
                && IsName(t) && _t1.Kind == SqlTokenKind.LeftParen && IsDangerousCall(t))
            {
                // x' sleep(5) ': a time-delay or command call set apart right after a value's break-out, for
                // whatever the application's text makes of it. The call is judged as any call. (A quote that opens
                // a word, 'sleep(5) hours', is prose.)
                var called = new SqlShape();
                if (!ParseOperand(ref called, out previous))
                {
                    return false;
                }

                leadingOperator = false;
                continue;
            }

            if (t.Kind == SqlTokenKind.LeftParen && _t1.Is(SqlKeyword.Select))
            {
                // 1(select*from(select(sleep(5)))d), x' (select load_file(...)) ': a subquery set right next to
                // the operand, for whatever the application's text makes of it. It is judged as any subquery.
                var juxtaposed = new SqlShape();
                if (!ParseParenthesized(ref juxtaposed, out previous))
                {
                    return false;
                }

                leadingOperator = false;
                continue;
            }

            if (IsPostfixNullTest(t))
            {
                // ' notnull --: PostgreSQL's and SQLite's postfix IS NOT NULL, judged as that predicate.
                Advance();
                var nullTest = new SqlShape { HasNullTest = true };
                nullTest.AddComparison(previous, new SqlOperand(SqlOperandKind.Literal, default), _text);
                var asPredicate = t with { Kind = SqlTokenKind.Keyword, Keyword = SqlKeyword.Is };
                EvaluateOperatorAfterEntry(asPredicate, asPredicate, nullTest, leadingOperator, -1);
                previous = new SqlOperand(SqlOperandKind.Other, default);
                leadingOperator = false;
                continue;
            }

            if (t.Kind != SqlTokenKind.Keyword)
            {
                return false;
            }

            if (IsQueryKeyword(t) && OpensWithLoneQuote(t.Start))
            {
                // ' union/, " ALTER A: a lone quote, a space and a statement or UNION is a break-out however it goes on.
                Commit(SqlEvidence.KeywordAfterBreakOut, _breakOut, t.End);
            }

            if (TryParseClause(out var clauseParsed))
            {
                if (!clauseParsed)
                {
                    return false;
                }

                leadingOperator = false;
                continue;
            }

            if (IsSetOperator(t))
            {
                if (!ParseSetOperation())
                {
                    return false;
                }

                continue;
            }

            if (t.Is(SqlKeyword.As))
            {
                // An alias for what the application selected: ) AS x, AS x WHERE 1=1.
                var named = _last;
                Advance();
                if (_t0.Kind == SqlTokenKind.End)
                {
                    continue;
                }

                if (!IsAliasName(_t0) && _t0.Kind != SqlTokenKind.String)
                {
                    return false;
                }

                var alias = _t0;
                Advance();

                // ) AS x FROM, 1 AS "x" FROM: the value finishes a select item and starts the FROM clause. The
                // parenthesis is the application's ("(optional) as noted from" closes its own), a number or string
                // is named with quotes (2 as gifts from grandma).
                if (_t0.Is(SqlKeyword.From) && ((named.Kind == SqlTokenKind.RightParen && named.Start == closedOuter)
                    || (_entry == SqlEntry.BreakOut && named.Kind == SqlTokenKind.End && ClosedSingleValue())
                    || (named.Kind is SqlTokenKind.Number or SqlTokenKind.String && alias.Kind is SqlTokenKind.String or SqlTokenKind.QuotedIdentifier)))
                {
                    Propose(SqlEvidence.SelectListTail, named.Kind == SqlTokenKind.End ? _breakOut : named.Start, _t0.End);
                }

                continue;
            }

            if (IsStatementKeyword(t))
            {
                // SQL Server needs no separator between statements: ' exec xp_cmdshell 'dir'.
                if (!ParseStackedStatement(t.Start, explicitSeparator: false))
                {
                    return false;
                }

                continue;
            }

            return false;
        }

        return true;
    }

    /// <summary>AND/OR/XOR (or &amp;&amp;, ||) and the condition it joins; judges the condition by its shape.</summary>
    private bool ParseCondition(ref SqlShape outer, bool clause = false)
    {
        var connective = _t0;
        Advance();
        var operand = _t0;
        var shape = new SqlShape();
        if (!ParseExpression(stopAtConnective: true, ref shape, out _))
        {
            if (operand.Kind == SqlTokenKind.String && operand.Start == _t0.Start && OpensWithLoneQuote(connective.Start))
            {
                // ' or ": after a lone quote and OR, a string in the other quote the application cannot close
                // is still the break-out's condition, like any other operand there.
                Commit(SqlEvidence.BooleanCondition, connective.Start, operand.End);
            }

            return false;
        }

        // OR TRUE: a constant condition, always true whatever it is joined to ("yes or true" is words).
        if (operand.Is(SqlKeyword.True) && _previousEnd == operand.End && (_entry != SqlEntry.Operand || !_leadIsWord)
            && (connective.Is(SqlKeyword.Or) || connective.Is(SqlOperator.DoublePipe)))
        {
            shape.HasTautology = shape.HasLiteralComparison = true;
        }

        EvaluateCondition(shape, connective, _previousEnd, clause);
        outer.Merge(shape);
        return true;
    }

    /// <summary>
    /// Judges the condition after AND/OR (or WHERE/HAVING). Comparing two literals (<c>1=1</c>, <c>8=3</c>) is
    /// what no application writes: after a break-out or as a suffix that is decisive on its own. Otherwise the
    /// value must parse to its end. A value that merely starts with an operand ("7 and a half") needs more
    /// than a bare word or literal after the AND: a literal comparison, a subquery or a SQL function.
    /// </summary>
    private void EvaluateCondition(in SqlShape shape, SqlToken connective, int end, bool clause = false)
    {
        var start = connective.Start;
        if (_statementDepth > 0)
        {
            return;
        }

        var injected = _entry != SqlEntry.Operand || clause;
        var evidence = SqlEvidence.None;
        if (shape.HasTautology && (injected || shape.HasLiteralComparison))
        {
            evidence = SqlEvidence.Tautology;
        }
        else if (shape.HasLiteralComparison || shape.HasSubquery
            || ((shape.HasKnownFunction || shape.HasNullTest) && (shape.HasComparison || !_leadIsWord)))
        {
            evidence = SqlEvidence.BooleanCondition;
        }
        else if (injected && (shape.HasComparison || shape.HasKnownFunction || (shape.HasFunction && _entry == SqlEntry.BreakOut)))
        {
            // Any function after a break-out (' || app.adduser('x') || '); after a bare AND/OR only SQL's own
            // (|| phpinfo() is shell, not SQL).
            evidence = SqlEvidence.BooleanCondition;
        }
        else if (injected && shape.IsLiteralsOnly
            && (_entry == SqlEntry.BreakOut
                ? ClosedSingleValue() || (IsSqlOnlyOperator(connective) && IsQuotedAlone(connective.Start, connective.End))
                : !shape.HasOpenString))
        {
            // A lone literal after AND/OR (' or '1, and 1) is purposeful when the quote closed a single value;
            // after a phrase ('countdown calendar" and "disney) it is only quoting ('XOR' alone is the operator).
            // Unquoted, a string that runs to the end is the rest of a sentence (Where's the "union" hall?).
            evidence = SqlEvidence.BooleanCondition;
        }

        if (evidence == SqlEvidence.None && _leadIsTypedLiteral && shape.HasTypedLiteral)
        {
            // '[1, 2]'::jsonb || '3'::jsonb: typed constants joined.
            evidence = SqlEvidence.TypedLiteral;
        }

        if (OpensWithLoneQuote(start) && (shape.HasIdentifier || shape.HasLiteral))
        {
            // ' or xyz!: a value that is a lone quote, a space and AND/OR is written to break out, whatever follows.
            Commit(SqlEvidence.BooleanCondition, start, end);
        }

        if (evidence == SqlEvidence.None)
        {
            return;
        }

        if (injected && (shape.HasLiteralComparison || shape.HasTautology))
        {
            Commit(evidence, start, end);
        }
        else
        {
            Propose(evidence, start, end);
        }
    }

    /// <summary>
    /// An operator that continues the application's operand: <c>'='</c>, <c>"=sleep(5)="</c>, <c>' RLIKE '</c>.
    /// <list type="bullet">
    /// <item>Between the broken string and another literal, a quoted operator word is just a quoted word
    /// (<c>"LIKE" stamp</c>); it counts only when spaces set it apart from both quotes (<c>A' DIV 'B</c>), which is
    /// how SQL is written and not how a word is quoted. Symbols other than comparisons never count there.</item>
    /// <item><c>&lt;</c> and <c>&gt;</c> right after a quote close HTML attributes and tags far more often than they
    /// compare anything (<c>"&gt;'...</c>); at the start of an unquoted value they open a tag (<c>&lt;svg/x=1</c>).</item>
    /// </list>
    /// </summary>
    private void EvaluateOperatorAfterEntry(SqlToken op, SqlToken operatorWord, in SqlShape shape, bool leadingOperator, int rightStart)
    {
        var literalsOnly = !shape.HasIdentifier && !shape.HasFunction && !shape.HasSubquery;
        var word = op.Kind == SqlTokenKind.Keyword;

        // Symbols count only after a single token (A' * 'B): "wood" + "sign" and " - " are punctuation in prose.
        var padded = leadingOperator && _entry == SqlEntry.BreakOut && (word || ClosedSingleToken()) && op.Start > _breakOut + 1
            && IsSpace(_text[op.Start - 1]) && (rightStart < 0 || IsSpace(_text[rightStart - 1]));
        if (leadingOperator && _entry == SqlEntry.BreakOut && literalsOnly && (word || !IsComparison(op)))
        {
            // 'REGEXP', 'NOT RLIKE': a value that is nothing but a quoted SQL-only operator closes the string and
            // reopens it around the operator. (With words around it, "use 'regexp' here", it is a quoted word.)
            // aa'like-'aa, aa'is\N: after a single token, an operator word with the closing quote and SQL that no
            // word is written with glued on (a sign and the reopening quote, MySQL's \N); rock'n'roll has none.
            if (padded || (word && IsQuotedAloneOperator(operatorWord, op.Start))
                || (word && ClosedSingleToken() && op.Start == _breakOut + 1 && IsGluedSqlOperand(operatorWord.End)))
            {
                Propose(SqlEvidence.ExpressionAfterBreakOut, op.Start, _previousEnd);
            }

            return;
        }

        // "CARDS'===": a run of '=' right after the entry underlines; === compares only inside a condition, ||(e===.
        // An angle bracket closes a tag, unless spaces set it between a single token's string and another (A' < 'B).
        if (leadingOperator && !word && (_entry == SqlEntry.Suffix || (IsAngleBracket(op) && !(padded && literalsOnly))
            || _text.Slice(op.Start, op.Length) is "===" or "!=="))
        {
            return;
        }

        // As the first words of an unquoted value, "like new" and "between 5 and 10" are English; LIKE '%' is not.
        if (leadingOperator && _entry == SqlEntry.Suffix && (shape.HasIdentifier || op.Is(SqlKeyword.Between)))
        {
            return;
        }

        if (IsComparison(op) || word)
        {
            EvaluateComparison(shape, op.Start, leadingOperator);
        }
    }

    private readonly bool IsAngleBracket(SqlToken op) => op.Length == 1 && _text[op.Start] is '<' or '>';

    // A comparison that continues the application's operand without AND/OR: '=', ' LIKE ', "=sleep(5)=".
    private void EvaluateComparison(in SqlShape shape, int start, bool leadingOperator)
    {
        if (_statementDepth > 0)
        {
            return;
        }

        if (shape.HasTautology && (_entry != SqlEntry.Operand || shape.HasLiteralComparison))
        {
            Propose(SqlEvidence.Tautology, start, _previousEnd);
        }
        else if (shape.HasLiteralComparison || (leadingOperator && shape.HasComparison && _entry != SqlEntry.Operand))
        {
            Propose(SqlEvidence.BooleanCondition, start, _previousEnd);
        }
    }

    // Evidence that only counts when the value parsed to its end.
    private void ProposeEndings()
    {
        if (_trailingCommentStart >= 0 && _trailingCommentBare)
        {
            var truncates = _entry switch
            {
                // admin'-- : only when the quote closed a single token (a login, an id), not a sentence.
                SqlEntry.BreakOut => ClosedSingleToken(),
                SqlEntry.Operand => _sawFunction || _sawSubquery || _sawParentheses,
                _ => _sawFunction || _sawSubquery,
            };

            if (truncates)
            {
                Propose(SqlEvidence.CommentTruncation, Math.Max(_breakOut, 0), _text.Length);
            }
        }

        if (_entry == SqlEntry.BreakOut && (_sawKnownFunction || _sawSubquery))
        {
            Propose(SqlEvidence.ExpressionAfterBreakOut, _breakOut, _previousEnd);
        }

        // 1'^column is not null - ', 1'*@a is \N - ', 1'*column-0-'0: a single token's string closed, an operator
        // glued to the quote, an expression over the query's own columns or variables, and a string reopened for
        // the application's closing quote. The query stays valid whatever follows it, and computes on its data.
        // (Jones'-style has no string reopened; "5'*height" ends in a word; in 36"+X+48"+FRAME the '+' is a space.)
        if (_entry == SqlEntry.BreakOut && _gluedOperation && ClosedSingleToken() && _last.Kind == SqlTokenKind.String
            && _last.Unterminated && _last.Quote == _quote)
        {
            Propose(SqlEvidence.ExpressionAfterBreakOut, _breakOut, _text.Length);
        }

        // admin'; : the statement ended right after the break-out.
        if (_entry == SqlEntry.BreakOut && _endsWithSeparator && ClosedSingleValue())
        {
            Propose(SqlEvidence.StatementTermination, _breakOut, _text.Length);
        }

        if (_obfuscated)
        {
            Propose(SqlEvidence.CommentObfuscation, 0, _text.Length);
        }
        else if (_gluedKeyword)
        {
            Propose(SqlEvidence.LexerObfuscation, 0, _text.Length);
        }
    }

    /// <summary>
    /// Whether the value starts with the quote that broke out, then a space and the token at <paramref name="start"/>,
    /// and never uses that quote again: no phrase was quoted, the quote was put there to close the string.
    /// </summary>
    private readonly bool OpensWithLoneQuote(int start) =>
        _entry == SqlEntry.BreakOut && start > _breakOut + 1
        && _text[.._breakOut].IndexOfAnyExcept(SqlCharacters.Whitespace) < 0
        && _text[(_breakOut + 1)..start].IndexOfAnyExcept(SqlCharacters.Whitespace) < 0
        && _text[(_breakOut + 1)..].IndexOf(_quote) < 0;

    // 'REGEXP', 'NOT LIKE', 'DIV', 'SOUNDS LIKE': the value is nothing but the break-out quote, the operator's words
    // and the reopening quote. Any operator SQL spells as a word that needs a string on its right counts there, as
    // no word is quoted alone like that; IN, IS and BETWEEN need more than a string, and are left out.
    private readonly bool IsQuotedAloneOperator(SqlToken operatorWord, int start) =>
        (IsSqlOnlyOperator(operatorWord) || operatorWord.Keyword is SqlKeyword.Like or SqlKeyword.Ilike or SqlKeyword.Glob
            or SqlKeyword.Div or SqlKeyword.Mod or SqlKeyword.Sounds)
        && _last.Kind == SqlTokenKind.String && _last.Unterminated && IsQuotedAlone(start, _last.Start);

    // At start, a sign glued to a string in the context's quote that runs to the value's end (-'aa), or MySQL's
    // \N for NULL as a token of its own.
    private readonly bool IsGluedSqlOperand(int start) =>
        start > 0 && start + 1 < _text.Length
        && ((_text[start] is '-' or '+' && _text[start + 1] == _quote && _text[(start + 2)..].IndexOf(_quote) < 0)
            || (_text[start] == '\\' && _text[start + 1] == 'N' && (start + 2 == _text.Length || !char.IsAsciiLetterOrDigit(_text[start + 2]))));

    // The value is nothing but (space and) the break-out quote and (space and) the token at start.
    private readonly bool StartsWithBreakOut(int start) =>
        _entry == SqlEntry.BreakOut && start > _breakOut
        && _text[.._breakOut].IndexOfAnyExcept(SqlCharacters.Whitespace) < 0
        && _text[(_breakOut + 1)..start].IndexOfAnyExcept(SqlCharacters.Whitespace) < 0;

    // A string in the quote other than the context's that runs to the value's end: the application cannot close it.
    private readonly bool IsOpenOtherQuoteString(SqlToken t) =>
        t.Kind == SqlTokenKind.String && t.Unterminated && t.End == _text.Length && t.Quote is '\'' or '"' && t.Quote != _quote;

    // The value is the break-out quote, the operator from start to end, the reopening quote, and nothing else.
    private readonly bool IsQuotedAlone(int start, int end) =>
        _entry == SqlEntry.BreakOut && start == _breakOut + 1 && end < _text.Length && _text[end] == _quote
        && _text[.._breakOut].IndexOfAnyExcept(SqlCharacters.Whitespace) < 0
        && _text[(end + 1)..].IndexOfAnyExcept(SqlCharacters.Whitespace) < 0;

    private readonly bool ClosedSingleToken() => _breakOut > 0 && _closedSingleValue;

    private readonly bool ClosedSingleValue() => _closedSingleValue;

    private readonly bool IsSpace(char c) => SqlTokenizer.IsWhitespace(c) || (_plusIsSpace && c == '+');

    private void Commit(SqlEvidence evidence, int start, int end) =>
        _committed = _committed.Max(new SqlFinding(evidence, start, end));

    private void Propose(SqlEvidence evidence, int start, int end) =>
        _proposed = _proposed.Max(new SqlFinding(evidence, start, end));

    // What a function, variable or catalog shows is strong, except in a value that merely starts with an
    // operand: there it must be part of a value that is SQL to its end ("sleep(5)" but not "sleep(5) well").
    private void RecordPrimitive(SqlEvidence evidence, int start, int end)
    {
        if (_entry == SqlEntry.Operand && !_skimming)
        {
            Propose(evidence, start, end);
        }
        else
        {
            Commit(evidence, start, end);
        }
    }

    // Nesting (parentheses, calls, CASE, subqueries, IF) is bounded: deeper input is not SQL anyone runs.
    private bool Enter()
    {
        if (_depth >= MaxDepth)
        {
            _tooDeep = true;
            return false;
        }

        _depth++;
        return true;
    }

    private void Leave() => _depth--;

    // Whether any token was consumed yet (_last is the default End token until then).
    private readonly bool HasConsumed => _last.Kind != SqlTokenKind.End;

    private void Advance()
    {
        _last = _t0;
        _previousEnd = _t0.End;
        _t0 = _t1;
        _t1 = _t2;
        _t2 = _t2.Kind == SqlTokenKind.End ? _t2 : Read();
    }

    // The next token that is not a comment; records comment runs on the way.
    private SqlToken Read()
    {
        while (true)
        {
            _tokenizer.Next(out var token);
            switch (token.Kind)
            {
                case SqlTokenKind.LineComment:
                case SqlTokenKind.BlockComment:
                    if (_commentRunStart < 0)
                    {
                        _commentRunStart = token.Start;
                        _commentRunBare = true;
                    }

                    _commentRunBare &= IsBareComment(token);
                    _commentRunEnd = token.End;
                    continue;
                case SqlTokenKind.End:
                    if (_commentRunStart >= 0)
                    {
                        _trailingCommentStart = _commentRunStart;
                        _trailingCommentBare = _commentRunBare;
                    }

                    return token;
                default:
                    if (_commentRunStart >= 0)
                    {
                        _inlineComments++;

                        // UNION/**/SELECT, DECLARE/**/@x: a comment standing in for the space next to a SQL keyword;
                        // JSON_EXTRACT/**/(: an empty one between a function's name and its parenthesis.
                        if (_commentRunStart == _lastTokenEnd && token.Start == _commentRunEnd
                            && ((token.Kind == SqlTokenKind.Keyword && _lastTokenWordLike) || (_lastTokenKeyword && IsWordLike(token))
                                || (token.Kind == SqlTokenKind.LeftParen && _lastTokenName && _commentRunBare)))
                        {
                            _obfuscated = true;
                        }

                        _commentRunStart = -1;
                    }

                    _obfuscated |= _tokenizer.VersionedComments > 0 || _tokenizer.EmptyExponents > 0;
                    _gluedKeyword |= _tokenizer.GluedKeywords > 0;
                    _lastTokenEnd = token.End;
                    _lastTokenWordLike = IsWordLike(token);
                    _lastTokenKeyword = token.Kind == SqlTokenKind.Keyword;
                    _lastTokenName = token.Kind == SqlTokenKind.Identifier;
                    return token;
            }
        }
    }

    private static bool IsWordLike(SqlToken t) =>
        t.Kind is SqlTokenKind.Keyword or SqlTokenKind.Identifier or SqlTokenKind.Number or SqlTokenKind.Variable;

    // "--", "-- -", "#", "/*": a comment that says nothing, written only to cut the query off. "--sp_password"
    // too: SQL Server keeps any statement that mentions sp_password out of its trace log.
    private readonly bool IsBareComment(SqlToken comment)
    {
        var body = _text.Slice(comment.Start, comment.Length);
        body = comment.Kind == SqlTokenKind.LineComment ? body[(body[0] == '#' ? 1 : 2)..] : body[2..];
        if (body.Trim().Equals("sp_password", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var c in body)
        {
            if (char.IsLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
