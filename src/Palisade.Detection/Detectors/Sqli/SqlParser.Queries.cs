namespace Palisade.Detection.Detectors.Sqli;

/// <summary>Queries: SELECT and its clauses, set operations.</summary>
internal ref partial struct SqlParser
{
    /// <summary>
    /// A clause that may follow an operand (in a SELECT, or appended by an injection): WHERE, GROUP BY,
    /// HAVING, ORDER BY, LIMIT, OFFSET, FETCH, INTO, PROCEDURE, FOR UPDATE, LOCK IN SHARE MODE, FROM.
    /// </summary>
    /// <returns>Whether <c>_t0</c> starts a clause; <paramref name="parsed"/> tells if it was grammatical.</returns>
    private bool TryParseClause(out bool parsed)
    {
        var t = _t0;
        parsed = false;
        switch (t.Keyword)
        {
            case SqlKeyword.Order:
            case SqlKeyword.Group:
                if (!_t1.Is(SqlKeyword.By))
                {
                    return false;
                }

                var listShape = new SqlShape();
                parsed = ParseOrderOrGroup(ref listShape);
                if (parsed && _t0.Is(SqlKeyword.With) && _t1.Is(SqlKeyword.Rollup))
                {
                    Advance();
                    Advance();
                }

                return true;
            case SqlKeyword.Where:
            case SqlKeyword.Having:
                // WHERE 1=1, HAVING 1=1: conditions of the injection's own, each judged like one after AND/OR.
                var shape = new SqlShape();
                parsed = ParseCondition(ref shape, clause: true);
                while (parsed && IsConnective(_t0))
                {
                    parsed = ParseCondition(ref shape, clause: true);
                }

                return true;
            case SqlKeyword.Limit:
                Advance();
                var limitShape = new SqlShape();
                parsed = ParseOperand(ref limitShape, out _);
                if (parsed && (_t0.Kind == SqlTokenKind.Comma || _t0.Is(SqlKeyword.Offset)))
                {
                    Advance();
                    parsed = ParseOperand(ref limitShape, out _);
                }

                return true;
            case SqlKeyword.Offset:
                Advance();
                var offsetShape = new SqlShape();
                parsed = ParseOperand(ref offsetShape, out _);
                if (parsed && (IsWord(_t0, "rows") || IsWord(_t0, "row")))
                {
                    Advance();
                }

                return true;
            case SqlKeyword.Fetch:
                // FETCH FIRST 1 ROWS ONLY
                Advance();
                for (var i = 0; i < 4 && (IsName(_t0) || _t0.Kind == SqlTokenKind.Number); i++)
                {
                    Advance();
                }

                parsed = true;
                return true;
            case SqlKeyword.Into:
                parsed = ParseInto();
                return true;
            case SqlKeyword.Procedure:
                // PROCEDURE ANALYSE(...)
                Advance();
                var procedureShape = new SqlShape();
                if (IsWord(_t0, "analyse") || IsWord(_t0, "analyze"))
                {
                    // MySQL's PROCEDURE ANALYSE() describes the query's columns to whoever appended it.
                    RecordPrimitive(SqlEvidence.Fingerprinting, t.Start, _t0.End);
                }

                parsed = IsName(_t0) && _t1.Kind == SqlTokenKind.LeftParen && ParseNameOrCall(ref procedureShape, out _);
                return true;
            case SqlKeyword.For:
                // FOR UPDATE, FOR XML PATH(''), FOR JSON AUTO
                Advance();
                parsed = _t0.Is(SqlKeyword.Update) || IsName(_t0);
                if (parsed)
                {
                    Advance();
                    var forShape = new SqlShape();
                    if (IsName(_t0) && _t1.Kind == SqlTokenKind.LeftParen)
                    {
                        parsed = ParseNameOrCall(ref forShape, out _);
                    }
                    else if (IsName(_t0))
                    {
                        Advance();
                    }
                }

                return true;
            case SqlKeyword.Lock:
                // LOCK IN SHARE MODE
                Advance();
                parsed = _t0.Is(SqlKeyword.In) && _t1.Is(SqlKeyword.Share) && _t2.Is(SqlKeyword.Mode);
                if (parsed)
                {
                    Advance();
                    Advance();
                    Advance();
                }

                return true;
            case SqlKeyword.From:
                Advance();
                parsed = ParseFromList();
                return true;
            default:
                return false;
        }
    }

    // ORDER BY 3 / GROUP BY 1,2 / PARTITION BY x. A column number is how injections count a query's columns; a
    // SQL function or subquery to sort by, after a value that is not a word, is how they ask yes/no questions
    // (1 order by ifnull(null,userid), 1 ORDER BY (SELECT ...); "price order by date" is words).
    private bool ParseOrderOrGroup(ref SqlShape shape)
    {
        var start = _t0.Start;
        var sorted = _t0.Is(SqlKeyword.Order);
        Advance();
        if (!_t0.Is(SqlKeyword.By))
        {
            return false;
        }

        Advance();
        if (_t0.Kind == SqlTokenKind.Number && _statementDepth == 0
            && _t1.Kind is SqlTokenKind.End or SqlTokenKind.Comma or SqlTokenKind.RightParen or SqlTokenKind.Semicolon)
        {
            Propose(SqlEvidence.ColumnEnumeration, start, _t0.End);
        }

        while (true)
        {
            var item = new SqlShape();
            if (!ParseExpression(stopAtConnective: false, ref item, out _))
            {
                return false;
            }

            shape.Merge(item);
            if (sorted && (item.HasKnownFunction || item.HasSubquery) && _statementDepth == 0
                && (_entry == SqlEntry.BreakOut || (_entry == SqlEntry.Operand && !_leadIsWord)))
            {
                Propose(SqlEvidence.SortExpression, start, _previousEnd);
            }

            if (_t0.Is(SqlKeyword.Asc) || _t0.Is(SqlKeyword.Desc))
            {
                Advance();
            }

            if (IsWord(_t0, "nulls") && (IsWord(_t1, "first") || IsWord(_t1, "last")))
            {
                Advance();
                Advance();
            }

            if (_t0.Kind != SqlTokenKind.Comma)
            {
                return true;
            }

            Advance();

            // A trailing comma before the end (GROUP BY 1,2,--): the application's text supplies the rest.
            if (_t0.Kind == SqlTokenKind.End)
            {
                return true;
            }
        }
    }

    // INTO OUTFILE 'x' / INTO DUMPFILE 'x' write a file on the server; INTO @a, @b and INTO t are ordinary.
    private bool ParseInto()
    {
        var start = _t0.Start;
        Advance();
        if (_t0.Is(SqlKeyword.Outfile) || _t0.Is(SqlKeyword.Dumpfile))
        {
            Commit(SqlEvidence.FileAccess, start, _t0.End);
            Advance();
            if (_t0.Kind != SqlTokenKind.String)
            {
                return false;
            }

            Advance();

            // FIELDS TERMINATED BY '...' LINES TERMINATED BY '...'
            while (IsName(_t0) || _t0.Is(SqlKeyword.By) || _t0.Kind == SqlTokenKind.String)
            {
                Advance();
            }

            return true;
        }

        if (_t0.Kind is SqlTokenKind.Variable or SqlTokenKind.SystemVariable)
        {
            Advance();
            while (_t0.Kind == SqlTokenKind.Comma && _t1.Kind == SqlTokenKind.Variable)
            {
                Advance();
                Advance();
            }

            return true;
        }

        var shape = new SqlShape();
        return IsName(_t0) && ParseNameOrCall(ref shape, out _);
    }

    private bool ParseFromList()
    {
        while (true)
        {
            if (!ParseTableReference())
            {
                return false;
            }

            while (IsJoin())
            {
                while (!_t0.Is(SqlKeyword.Join) && !_t0.Is(SqlKeyword.Straight))
                {
                    Advance();
                }

                Advance();
                if (!ParseTableReference())
                {
                    return false;
                }

                var shape = new SqlShape();
                if (_t0.Is(SqlKeyword.On))
                {
                    Advance();
                    if (!ParseExpression(stopAtConnective: false, ref shape, out _))
                    {
                        return false;
                    }
                }
                else if (_t0.Is(SqlKeyword.Using))
                {
                    Advance();
                    if (_t0.Kind != SqlTokenKind.LeftParen || !ParseParenthesized(ref shape, out _))
                    {
                        return false;
                    }
                }
            }

            if (_t0.Kind != SqlTokenKind.Comma)
            {
                return true;
            }

            Advance();
        }
    }

    // JOIN, STRAIGHT_JOIN, [NATURAL] [LEFT|RIGHT|FULL] [OUTER] JOIN, INNER JOIN, CROSS JOIN.
    private readonly bool IsJoin()
    {
        if (_t0.Is(SqlKeyword.Join) || _t0.Is(SqlKeyword.Straight))
        {
            return true;
        }

        var startsJoin = _t0.Is(SqlKeyword.Inner) || _t0.Is(SqlKeyword.Cross) || _t0.Is(SqlKeyword.Natural)
            || IsWord(_t0, "left") || IsWord(_t0, "right") || IsWord(_t0, "full");
        return startsJoin && (_t1.Is(SqlKeyword.Join) || _t1.Is(SqlKeyword.Outer) || _t2.Is(SqlKeyword.Join));
    }

    // A table, a function returning rows (pg_sleep(5)), or a derived table, with an optional alias. The value
    // may stop where the table is due (union select col from).
    private bool ParseTableReference()
    {
        var shape = new SqlShape();
        bool ok;
        if (_t0.Kind == SqlTokenKind.End)
        {
            return true;
        }

        if (_t0.Kind == SqlTokenKind.LeftParen)
        {
            ok = ParseParenthesized(ref shape, out _);
        }
        else if (IsName(_t0) || _t0.Kind == SqlTokenKind.Keyword && IsFunctionKeyword(_t0.Keyword) && _t1.Kind == SqlTokenKind.LeftParen)
        {
            ok = ParseNameOrCall(ref shape, out _);
        }
        else
        {
            return false;
        }

        if (!ok)
        {
            return false;
        }

        if (_t0.Is(SqlKeyword.As))
        {
            Advance();
            if (!IsAliasName(_t0))
            {
                return false;
            }

            Advance();
        }
        else if (IsAliasName(_t0))
        {
            Advance();
        }

        return true;
    }

    // A select item that is not a bare word: 1, 'a', NULL, *, @@version, version(), (SELECT ...), -1.
    private readonly bool StartsComputedItem() => _t0.Kind switch
    {
        SqlTokenKind.Number or SqlTokenKind.String or SqlTokenKind.Variable or SqlTokenKind.SystemVariable
            or SqlTokenKind.LeftParen => true,
        SqlTokenKind.Operator => _text[_t0.Start] is '*' or '-' or '+',
        SqlTokenKind.Keyword => _t0.Keyword is SqlKeyword.Null or SqlKeyword.True or SqlKeyword.False
            || _t1.Kind == SqlTokenKind.LeftParen,
        SqlTokenKind.Identifier => _t1.Kind == SqlTokenKind.LeftParen,
        _ => false,
    };

    /// <summary>
    /// The rest of a SELECT after its keyword: modifiers, the select list with aliases, the clauses, and
    /// further set operations. <paramref name="select"/> is filled as far as the parse got.
    /// </summary>
    private bool ParseSelectBody(ref SqlShape shape, out SqlSelectShape select)
    {
        select = default;
        if (_t0.Kind == SqlTokenKind.End)
        {
            select.EndedEarly = true;
            return false;
        }

        if (!Enter())
        {
            return false;
        }

        var ok = ParseSelectList(ref shape, ref select);
        while (ok)
        {
            if (_t0.Is(SqlKeyword.From))
            {
                select.HasFrom = true;
            }

            if (TryParseClause(out var parsed))
            {
                ok = parsed;
            }
            else if (IsSetOperator(_t0))
            {
                ok = ParseSetOperation();
            }
            else
            {
                break;
            }
        }

        Leave();
        return ok;
    }

    private bool ParseSelectList(ref SqlShape shape, ref SqlSelectShape select)
    {
        // ALL, DISTINCT, TOP 10, SQL_CALC_FOUND_ROWS, HIGH_PRIORITY...
        while (true)
        {
            if (_t0.Is(SqlKeyword.All) || _t0.Is(SqlKeyword.Distinct) || _t0.Is(SqlKeyword.DistinctRow))
            {
                Advance();
            }
            else if (_t0.Is(SqlKeyword.Top) && _t1.Kind is SqlTokenKind.Number or SqlTokenKind.LeftParen)
            {
                Advance();
                if (!ParseOperand(ref shape, out _))
                {
                    return false;
                }
            }
            else if (_t0.Kind == SqlTokenKind.Identifier && (NameText(_t0).StartsWith("sql_", StringComparison.OrdinalIgnoreCase)
                || IsWord(_t0, "high_priority")) && _t1.Kind != SqlTokenKind.Comma)
            {
                Advance();
            }
            else
            {
                break;
            }
        }

        while (true)
        {
            if (_t0.Is(SqlOperator.Arithmetic) && _text[_t0.Start] == '*')
            {
                Advance();
                select.HasNonWordItem = true;
                select.HasComputedItem = true;
            }
            else
            {
                if (!ParseExpression(stopAtConnective: false, ref shape, out var item))
                {
                    return false;
                }

                if (item.Kind != SqlOperandKind.Identifier)
                {
                    select.HasNonWordItem = true;
                    select.HasComputedItem |= !(item.IsLiteral && item.Token.Kind == SqlTokenKind.String);
                }

                if (_t0.Is(SqlKeyword.As))
                {
                    Advance();
                    if (!IsAliasName(_t0) && _t0.Kind != SqlTokenKind.String)
                    {
                        return false;
                    }

                    Advance();
                }
                else if (IsAliasName(_t0) || (_t0.Kind == SqlTokenKind.String && !_t0.Unterminated))
                {
                    Advance();
                }
            }

            if (_t0.Kind != SqlTokenKind.Comma)
            {
                return true;
            }

            Advance();
        }
    }

    /// <summary>
    /// UNION [ALL|DISTINCT] SELECT ... (also EXCEPT, INTERSECT, MINUS), possibly with parentheses around the
    /// SELECT. After a break-out it is decisive as soon as SELECT is read; in an unquoted value it counts when
    /// it selects more than plain words ("labor union select committee" does not).
    /// </summary>
    private bool ParseSetOperation()
    {
        var start = _t0.Start;
        Advance();
        var modifier = false;
        if (_t0.Is(SqlKeyword.All) || _t0.Is(SqlKeyword.Distinct) || _t0.Is(SqlKeyword.DistinctRow))
        {
            Advance();
            modifier = true;
        }

        var parentheses = 0;
        while (_t0.Kind == SqlTokenKind.LeftParen && parentheses < MaxDepth)
        {
            Advance();
            parentheses++;
        }

        if (_t0.Kind == SqlTokenKind.End)
        {
            // -1 UNION<end>: only SELECT can follow. Plain text ends in "union" (labor union), so this counts
            // only after a non-word operand in a value that hides its spaces in comments (-1#x, newline, union#),
            // after an operand no prose starts with (-1 union), or with the ALL or DISTINCT only SQL adds (2 union all).
            if (_entry is SqlEntry.Operand && !_leadIsWord
                && (_inlineComments + (_trailingCommentStart >= 0 ? 1 : 0) > 0 || _leadIsSql || modifier))
            {
                Propose(SqlEvidence.UnionSelect, start, _previousEnd);
            }

            return true;
        }

        if (_t0.Is(SqlKeyword.Values) && _t1.Kind == SqlTokenKind.LeftParen)
        {
            // EXCEPT VALUES (1, 2) (PostgreSQL): a set operation with a row list instead of a SELECT.
            Commit(SqlEvidence.UnionSelect, start, _t0.End);
            Advance();
            var rows = new SqlShape();
            var rowsParsed = ParseParenthesized(ref rows, out _);
            while (rowsParsed && _t0.Kind == SqlTokenKind.Comma && _t1.Kind == SqlTokenKind.LeftParen)
            {
                Advance();
                rowsParsed = ParseParenthesized(ref rows, out _);
            }

            return rowsParsed;
        }

        if (!_t0.Is(SqlKeyword.Select))
        {
            return false;
        }

        var selectEnd = _t0.End;
        Advance();
        var decisive = _entry == SqlEntry.BreakOut
            || (_entry is SqlEntry.Operand or SqlEntry.Suffix && (modifier || parentheses > 0 || StartsComputedItem()
                || (_t0.Kind == SqlTokenKind.End && (!_leadIsWord || _inlineComments > 0))))
            || (_entry == SqlEntry.Operand && _leadIsSql);
        if (decisive)
        {
            Commit(SqlEvidence.UnionSelect, start, selectEnd);
        }

        var shape = new SqlShape();
        var ok = ParseSelectBody(ref shape, out var select);
        if (_entry is SqlEntry.Operand or SqlEntry.Suffix && !decisive && (select.HasNonWordItem || select.HasFrom))
        {
            Propose(SqlEvidence.UnionSelect, start, selectEnd);
        }

        if (select.EndedEarly)
        {
            // "... UNION SELECT" and nothing more: the application's text cannot complete it, but the intent is plain.
            return true;
        }

        while (ok && parentheses > 0 && _t0.Kind == SqlTokenKind.RightParen)
        {
            Advance();
            parentheses--;
        }

        return ok;
    }
}
