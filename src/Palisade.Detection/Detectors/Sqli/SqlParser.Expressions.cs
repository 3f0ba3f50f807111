namespace Palisade.Detection.Detectors.Sqli;

/// <summary>Expressions: operands, operators, predicates, function calls, parentheses, CASE.</summary>
internal ref partial struct SqlParser
{
    /// <summary>
    /// An operand followed by any number of operators and operands. With <paramref name="stopAtConnective"/>
    /// it stops before AND/OR, so that each condition of a chain is judged on its own.
    /// </summary>
    private bool ParseExpression(bool stopAtConnective, ref SqlShape shape, out SqlOperand last)
    {
        last = SqlOperand.None;
        if (!ParseOperand(ref shape, out var left))
        {
            return false;
        }

        while (true)
        {
            var t = _t0;
            if (IsBinaryOperator(t))
            {
                Advance();
                shape.HasOperation = true;
                if (!ParseRightOperand(ref shape, out var right))
                {
                    return false;
                }

                if (IsComparison(t))
                {
                    shape.AddComparison(left, right, _text, IsInequality(t));
                    left = new SqlOperand(SqlOperandKind.Other, default);
                }
                else if (left.IsLiteral && right.IsLiteral)
                {
                    // 1+2=3+4 still compares constants, but no longer two literals that could be equal as written.
                    left = new SqlOperand(SqlOperandKind.Literal, new SqlToken(SqlTokenKind.Other, 0, 0));
                }
                else
                {
                    left = right.Kind == SqlOperandKind.Function ? right : new SqlOperand(SqlOperandKind.Other, default);
                }
            }
            else if (IsConnective(t) && !stopAtConnective)
            {
                if (!ParseCondition(ref shape))
                {
                    return false;
                }

                left = new SqlOperand(SqlOperandKind.Other, default);
            }
            else if (IsPredicateStart(t))
            {
                if (!ParsePredicate(left, ref shape))
                {
                    return false;
                }

                left = new SqlOperand(SqlOperandKind.Other, default);
            }
            else
            {
                last = left;
                return true;
            }
        }
    }

    // The right side of a comparison may quantify a subquery: = ANY (SELECT ...).
    private bool ParseRightOperand(ref SqlShape shape, out SqlOperand operand)
    {
        if ((_t0.Is(SqlKeyword.Any) || _t0.Is(SqlKeyword.Some) || _t0.Is(SqlKeyword.All)) && _t1.Kind == SqlTokenKind.LeftParen)
        {
            Advance();
        }

        return ParseOperand(ref shape, out operand);
    }

    private bool ParseOperand(ref SqlShape shape, out SqlOperand operand)
    {
        operand = SqlOperand.None;
        while (IsPrefixOperator(_t0))
        {
            Advance();
        }

        var t = _t0;
        if (_last.Kind == SqlTokenKind.Operator && t.Kind == SqlTokenKind.Keyword)
        {
            if (IsSetOperator(t))
            {
                // 1- union select, =/*!union*/ select, -union (select ...): the operand the sign called for is left
                // out and a second query starts. The set operation is judged as any (it needs its SELECT).
                return true;
            }

            if (t.Is(SqlKeyword.Select))
            {
                // 1 - select 1, 0-select 1 union select version(): a subquery without its parentheses, read as
                // the operand it stands for and judged as any subquery.
                return ParseBareSubquery(ref shape, out operand);
            }
        }

        switch (t.Kind)
        {
            case SqlTokenKind.End when HasConsumed:
                // The value stops where an operand is due ("and 1=", "xor 2 <", "=("): the application's own
                // text follows there. A value is judged as a prefix of the query it would build.
                return true;
            case SqlTokenKind.Number:
                Advance();
                operand = new SqlOperand(SqlOperandKind.Literal, t);
                break;
            case SqlTokenKind.String:
                // An unterminated string is the application's own closing quote reopened by the value: only
                // the context's quote can be closed that way.
                if (t.Unterminated && !ClosesAtEnd(t))
                {
                    return false;
                }

                Advance();

                // 'a' 'b' is one string: adjacent literals concatenate.
                while (_t0.Kind == SqlTokenKind.String && (!_t0.Unterminated || ClosesAtEnd(_t0)))
                {
                    Advance();
                }

                operand = new SqlOperand(SqlOperandKind.Literal, t);
                break;
            case SqlTokenKind.Variable:
                Advance();
                operand = new SqlOperand(SqlOperandKind.Variable, t);
                break;
            case SqlTokenKind.SystemVariable:
                Advance();
                RecordPrimitive(SqlEvidence.SystemVariable, t.Start, t.End);
                operand = new SqlOperand(SqlOperandKind.Variable, t);
                break;
            case SqlTokenKind.Identifier:
            case SqlTokenKind.QuotedIdentifier:
                if (!ParseNameOrCall(ref shape, out operand))
                {
                    return false;
                }

                break;
            case SqlTokenKind.LeftParen:
                if (!ParseParenthesized(ref shape, out operand))
                {
                    return false;
                }

                break;
            case SqlTokenKind.Dot when IsWord(_t1) && _last.Kind != SqlTokenKind.End:
                // MySQL's .t.col (ODBC's leading dot) where an operand is due: SELECT .``.table_name. Not a word of
                // prose, which never starts a name with a dot.
                Advance();
                if (!ParseNameOrCall(ref shape, out _))
                {
                    return false;
                }

                operand = new SqlOperand(SqlOperandKind.Other, default);
                break;
            case SqlTokenKind.LeftBrace:
                if (!ParseOdbcEscape(ref shape))
                {
                    return false;
                }

                operand = new SqlOperand(SqlOperandKind.Other, default);
                break;
            case SqlTokenKind.Keyword:
                if (!ParseKeywordOperand(ref shape, out operand))
                {
                    return false;
                }

                break;
            case SqlTokenKind.Other when IsParameterMarker(t):
                // a'or?--, ' is not?--: a prepared statement's parameter marker stands for a value.
                Advance();
                operand = new SqlOperand(SqlOperandKind.Literal, t);
                break;
            default:
                return false;
        }

        // PostgreSQL casts: x::text, '1'::jsonb, 1::numeric(10,2).
        while (_t0.Is(SqlOperator.Cast))
        {
            var castStart = _t0.Start;
            Advance();
            if (!IsName(_t0))
            {
                return false;
            }

            shape.HasTypedLiteral |= operand.IsLiteral && operand.Token.Kind == SqlTokenKind.String;

            // password::int: casting a text column to a number fails with an error that prints its value.
            if (operand.Kind is SqlOperandKind.Identifier or SqlOperandKind.Function or SqlOperandKind.Subquery
                && IsNumericType(NameText(_t0)))
            {
                RecordPrimitive(SqlEvidence.ErrorBased, castStart, _t0.End);
            }

            Advance();
            if (IsWord(_t0, "precision") || IsWord(_t0, "varying"))
            {
                // double precision, character varying
                Advance();
            }

            if (_t0.Kind == SqlTokenKind.LeftParen && !SkipTypeArguments())
            {
                return false;
            }
        }

        // x NOTNULL, x ISNULL (PostgreSQL, SQLite): postfix tests for NULL.
        if (IsPostfixNullTest(_t0))
        {
            Advance();
            shape.HasNullTest = true;
            shape.Add(operand);
            shape.AddComparison(operand, new SqlOperand(SqlOperandKind.Literal, default), _text);
            operand = new SqlOperand(SqlOperandKind.Other, default);
            return true;
        }

        shape.Add(operand);
        return true;
    }

    /// <summary>
    /// Whether an unterminated string can be closed by the application's own quote: the context's quote after
    /// a break-out; in an unquoted value either quote (the value was built for a string it does not open).
    /// </summary>
    private readonly bool ClosesAtEnd(SqlToken t) =>
        _entry == SqlEntry.BreakOut ? t.Quote == _quote : t.Quote is '\'' or '"';

    private bool ParseKeywordOperand(ref SqlShape shape, out SqlOperand operand)
    {
        operand = SqlOperand.None;
        var t = _t0;
        switch (t.Keyword)
        {
            case SqlKeyword.Null:
            case SqlKeyword.True:
            case SqlKeyword.False:
            case SqlKeyword.Unknown:
                Advance();
                operand = new SqlOperand(SqlOperandKind.Literal, t);
                return true;
            case SqlKeyword.Case:
                operand = new SqlOperand(SqlOperandKind.Other, default);
                return ParseCase(ref shape);
            case SqlKeyword.Exists:
                Advance();
                return _t0.Kind == SqlTokenKind.LeftParen && ParseParenthesized(ref shape, out operand);
            case SqlKeyword.Interval:
                // INTERVAL 1 DAY
                Advance();
                if (!ParseOperand(ref shape, out _) || !IsName(_t0))
                {
                    return false;
                }

                Advance();
                operand = new SqlOperand(SqlOperandKind.Other, default);
                return true;
        }

        if (!SqlKeywords.IsReserved(t.Keyword) || (IsFunctionKeyword(t.Keyword) && _t1.Kind == SqlTokenKind.LeftParen))
        {
            return ParseNameOrCall(ref shape, out operand);
        }

        return false;
    }

    /// <summary>A name (<c>col</c>, <c>t.col</c>, <c>master..sysdatabases</c>, <c>t.*</c>), or a call when a parenthesis follows.</summary>
    private bool ParseNameOrCall(ref SqlShape shape, out SqlOperand operand)
    {
        operand = SqlOperand.None;
        var first = _t0;
        var last = first;
        var parts = 1;
        Advance();
        while (_t0.Kind == SqlTokenKind.Dot)
        {
            Advance();
            while (_t0.Kind == SqlTokenKind.Dot)
            {
                Advance();
            }

            if (_t0.Is(SqlOperator.Arithmetic) && _text[_t0.Start] == '*')
            {
                Advance();
                operand = new SqlOperand(SqlOperandKind.Other, default);
                return true;
            }

            if (_t0.Kind == SqlTokenKind.End)
            {
                // information_schema. and nothing more: the value stops inside the name.
                break;
            }

            if (!IsWord(_t0))
            {
                return false;
            }

            last = _t0;
            parts++;
            Advance();
        }

        var start = first.Start;
        var end = last.End;
        var fullText = parts == 1 && IsWord(first, "match");
        if (_t0.Kind == SqlTokenKind.LeftParen)
        {
            return ParseFunctionCall(start, end, ref shape, out operand)
                && (!fullText || !_t0.Is(SqlKeyword.Against) || ParseAgainst(ref shape, out operand));
        }

        if (fullText && IsName(_t0) && (_t1.Is(SqlKeyword.Against) || _t1.Kind is SqlTokenKind.Comma or SqlTokenKind.Dot))
        {
            // MATCH title, body AGAINST (...): MySQL reads the column list without its parentheses too.
            while (IsName(_t0))
            {
                Advance();
                while (_t0.Kind == SqlTokenKind.Dot && IsName(_t1))
                {
                    Advance();
                    Advance();
                }

                if (_t0.Kind != SqlTokenKind.Comma)
                {
                    break;
                }

                Advance();
            }

            return _t0.Is(SqlKeyword.Against) && ParseAgainst(ref shape, out operand);
        }

        // ARRAY['a', 'b'] (PostgreSQL): read by the tokenizer as a bracketed name.
        if (parts == 1 && _t0.Kind == SqlTokenKind.QuotedIdentifier && _text[_t0.Start] == '[' && _t0.Start == first.End
            && NameText(first).Equals("array", StringComparison.OrdinalIgnoreCase))
        {
            Advance();
            operand = new SqlOperand(SqlOperandKind.Other, default);
            return true;
        }

        // _utf8'text': a character-set introducer glued to a string.
        if (parts == 1 && first.Kind == SqlTokenKind.Identifier && _text[first.Start] == '_' && _t0.Kind == SqlTokenKind.String
            && _t0.Start == first.End)
        {
            var literal = _t0;
            Advance();
            operand = new SqlOperand(SqlOperandKind.Literal, literal);
            return true;
        }

        CheckSystemName(first, last, parts);
        if (SqlFunctions.IsDelayProcedure(_text[start..end]))
        {
            // select pg_sleep, dbms_lock.sleep: a delay procedure named, its arguments left to follow.
            RecordPrimitive(SqlEvidence.TimeDelay, start, end);
        }

        if (parts == 1 && first.Kind == SqlTokenKind.Identifier && SqlFunctions.IsNiladic(NameText(first)))
        {
            // CURRENT_DATE, UTC_TIMESTAMP: SQL's functions that are called without parentheses.
            shape.HasFunction = shape.HasKnownFunction = true;
            _sawFunction = _sawKnownFunction = true;
            operand = new SqlOperand(SqlOperandKind.Function, first);
            return true;
        }

        operand = new SqlOperand(SqlOperandKind.Identifier, parts == 1 ? first : new SqlToken(SqlTokenKind.Identifier, start, end - start));
        return true;
    }

    /// <summary>
    /// The <c>AGAINST ('search' [IN BOOLEAN MODE | IN NATURAL LANGUAGE MODE] [WITH QUERY EXPANSION])</c> of MySQL's
    /// full-text <c>MATCH (columns) AGAINST (...)</c>, a SQL function of its own.
    /// </summary>
    private bool ParseAgainst(ref SqlShape shape, out SqlOperand operand)
    {
        operand = new SqlOperand(SqlOperandKind.Function, default);
        Advance();
        if (_t0.Kind != SqlTokenKind.LeftParen)
        {
            return false;
        }

        Advance();

        // The search is a string constant (or a variable holding one): "match day against (Spain)" is words.
        if (!ParseOperand(ref shape, out var search)
            || !(search.Kind == SqlOperandKind.Variable || (search.IsLiteral && search.Token.Kind == SqlTokenKind.String)))
        {
            return false;
        }

        if (_t0.Is(SqlKeyword.In) && (_t1.Is(SqlKeyword.Boolean) || IsWord(_t1, "natural")))
        {
            Advance();
            if (IsWord(_t0, "natural") && IsWord(_t1, "language"))
            {
                Advance();
            }

            Advance();
            if (!_t0.Is(SqlKeyword.Mode))
            {
                return false;
            }

            Advance();
        }

        if (_t0.Is(SqlKeyword.With) && IsWord(_t1, "query") && IsWord(_t2, "expansion"))
        {
            Advance();
            Advance();
            Advance();
        }

        shape.HasFunction = shape.HasKnownFunction = true;
        _sawFunction = _sawKnownFunction = true;
        if (_t0.Kind == SqlTokenKind.RightParen)
        {
            Advance();
            return true;
        }

        return _t0.Kind == SqlTokenKind.End;
    }

    private void CheckSystemName(SqlToken first, SqlToken last, int parts)
    {
        if ((parts > 1 && (SqlSystemObjects.IsSystemSchema(NameText(first))
                || SqlSystemObjects.IsSystemQualifiedName(NameText(first), NameText(last), _text[first.Start..last.End])))
            || SqlSystemObjects.IsSystemTable(NameText(last)))
        {
            RecordPrimitive(SqlEvidence.SystemCatalog, first.Start, last.End);
        }
        else if (parts == 1 && first.Kind == SqlTokenKind.Identifier)
        {
            // current_user, session_user, system_user: functions that need no parentheses.
            var name = NameText(first);
            if (name.EndsWith("_user", StringComparison.OrdinalIgnoreCase) && SqlFunctions.Classify(name) == SqlFunctionKind.Fingerprint)
            {
                RecordPrimitive(SqlEvidence.Fingerprinting, first.Start, first.End);
            }
        }
    }

    private bool ParseFunctionCall(int nameStart, int nameEnd, ref SqlShape shape, out SqlOperand operand)
    {
        operand = new SqlOperand(SqlOperandKind.Function, new SqlToken(SqlTokenKind.Identifier, nameStart, nameEnd - nameStart));
        var name = _text[nameStart..nameEnd];
        var kind = SqlFunctions.Classify(name);
        Advance();
        if (!Enter())
        {
            return false;
        }

        var arguments = 0;
        var numericArguments = 0;
        var constantCondition = false;
        var inner = new SqlShape();
        var ok = true;
        var closed = false;
        if (_t0.Kind == SqlTokenKind.RightParen)
        {
            Advance();
            closed = true;
        }
        else
        {
            while (_t0.Kind != SqlTokenKind.End)
            {
                if (_t0.Is(SqlOperator.Arithmetic) && _text[_t0.Start] == '*' && _t1.Kind is SqlTokenKind.RightParen or SqlTokenKind.Comma)
                {
                    // COUNT(*)
                    Advance();
                }
                else
                {
                    if (_t0.Is(SqlKeyword.Distinct) || _t0.Is(SqlKeyword.All))
                    {
                        Advance();
                    }

                    if (!ParseExpression(stopAtConnective: false, ref inner, out var argument))
                    {
                        ok = false;
                        break;
                    }

                    constantCondition |= arguments == 0 && inner.HasLiteralComparison;

                    // BENCHMARK(5000000, ...): a repeat count glued to MySQL's delay function is the delay, however the
                    // expression to repeat goes on (BENCHMARK(2999/**/999,Md5(NoW()).
                    if (arguments == 0 && kind == SqlFunctionKind.TimeDelay && argument.IsLiteral && argument.Token.Kind == SqlTokenKind.Number
                        && _text[nameEnd] == '(' && name.Equals("benchmark", StringComparison.OrdinalIgnoreCase))
                    {
                        Commit(SqlEvidence.TimeDelay, nameStart, _previousEnd);
                    }

                    if (argument.IsLiteral && argument.Token.Kind == SqlTokenKind.Number)
                    {
                        numericArguments++;
                    }

                    // ASCII(SUBSTRING(password, 1, 1)): one character's code, the unit a blind injection reads.
                    if (arguments == 0 && argument.Kind == SqlOperandKind.Function && SqlFunctions.IsCodePoint(name)
                        && SqlFunctions.IsSubstring(_text.Slice(argument.Token.Start, argument.Token.Length)))
                    {
                        RecordPrimitive(SqlEvidence.BlindExtraction, nameStart, _previousEnd);
                    }

                    // CONVERT(INT, ...): SQL Server's conversion error prints the value it failed to convert.
                    if (arguments == 0 && argument.Kind == SqlOperandKind.Identifier && _t0.Kind == SqlTokenKind.Comma
                        && name.Equals("convert", StringComparison.OrdinalIgnoreCase) && IsIntegerType(argument.Text(_text)))
                    {
                        RecordPrimitive(SqlEvidence.ErrorBased, nameStart, _t0.End);
                    }

                    if (!ParseArgumentModifiers(ref inner))
                    {
                        ok = false;
                        break;
                    }
                }

                arguments++;
                if (_t0.Kind == SqlTokenKind.Comma)
                {
                    Advance();
                    continue;
                }

                if (_t0.Kind == SqlTokenKind.RightParen)
                {
                    Advance();
                    closed = true;
                    break;
                }

                ok = _t0.Kind == SqlTokenKind.End;
                break;
            }
        }

        Leave();
        var sqlArguments = arguments == 0 || inner.HasLiteral || inner.HasComparison || inner.HasFunction || inner.HasSubquery;
        if (ok && !closed && kind != SqlFunctionKind.Unknown && sqlArguments)
        {
            // CHAR(, GROUP_CONCAT(, IF(2= : the value ends inside a call to a SQL function; the rest was left to
            // follow. Names alone as arguments are code more likely than SQL (user = User(form.name,).
            Propose(SqlEvidence.FunctionFragment, nameStart, _previousEnd);
            if (_entry == SqlEntry.Statement)
            {
                Commit(SqlEvidence.FunctionFragment, nameStart, _previousEnd);
            }
        }

        shape.Merge(inner);
        shape.HasFunction = true;
        _sawFunction = true;
        if (kind != SqlFunctionKind.Unknown)
        {
            shape.HasKnownFunction = true;
            _sawKnownFunction = true;
        }

        RecordFunction(kind, nameStart, ok ? _previousEnd : _t0.Start, arguments, numericArguments);

        // IF(7423=7424) SELECT ...: not MySQL's IF(), which takes three arguments, but SQL Server's IF statement
        // branching on constants, a yes/no question to the database. IF(1=1, a, b) and IIF(1 > 1, a, b) ask the
        // same of a select list.
        if (ok && constantCondition && (name.Equals("if", StringComparison.OrdinalIgnoreCase) || name.Equals("iif", StringComparison.OrdinalIgnoreCase))
            && ((closed && arguments == 1 && IsQueryKeyword(_t0) && _statementDepth == 0) || arguments == 3))
        {
            Commit(SqlEvidence.BooleanCondition, nameStart, _previousEnd);
        }

        return ok && SkipWindow(ref shape);
    }

    private void RecordFunction(SqlFunctionKind kind, int start, int end, int arguments, int numericArguments)
    {
        switch (kind)
        {
            case SqlFunctionKind.TimeDelay:
                RecordPrimitive(SqlEvidence.TimeDelay, start, end);
                break;
            case SqlFunctionKind.FileAccess:
                RecordPrimitive(SqlEvidence.FileAccess, start, end);
                break;
            case SqlFunctionKind.CommandExecution:
                RecordPrimitive(SqlEvidence.CommandExecution, start, end);
                break;
            case SqlFunctionKind.OutOfBand:
                RecordPrimitive(SqlEvidence.OutOfBand, start, end);
                break;
            case SqlFunctionKind.ErrorBased:
                RecordPrimitive(SqlEvidence.ErrorBased, start, end);
                break;
            case SqlFunctionKind.Fingerprint:
                RecordPrimitive(SqlEvidence.Fingerprinting, start, end);
                break;
            case SqlFunctionKind.FingerprintWithoutArguments when arguments == 0:
                RecordPrimitive(SqlEvidence.Fingerprinting, start, end);
                break;
            case SqlFunctionKind.CharacterCode when arguments > 0 && numericArguments == arguments:
                // CHAR(72)+CHAR(73), CHR(72)||CHR(73), CHAR(72,73,74): a string spelled in character codes.
                if (++_characterCodeCalls >= 2 || numericArguments >= 3)
                {
                    RecordPrimitive(SqlEvidence.CharacterEncoding, start, end);
                }

                break;
        }
    }

    // Words that may follow a function argument: CAST(x AS CHAR), CONVERT(x USING utf8), SUBSTRING(x FROM 1 FOR 2),
    // POSITION(x IN y), GROUP_CONCAT(x ORDER BY y SEPARATOR ',').
    private bool ParseArgumentModifiers(ref SqlShape shape)
    {
        while (true)
        {
            if (_t0.Is(SqlKeyword.As) || _t0.Is(SqlKeyword.Using))
            {
                Advance();
                var words = 0;
                while (words < 3 && (IsName(_t0) || _t0.Is(SqlKeyword.Binary)))
                {
                    Advance();
                    words++;
                }

                if (words == 0 || (_t0.Kind == SqlTokenKind.LeftParen && !SkipTypeArguments()))
                {
                    return false;
                }
            }
            else if (_t0.Is(SqlKeyword.From) || _t0.Is(SqlKeyword.For) || _t0.Is(SqlKeyword.In) || IsWord(_t0, "separator")
                || IsWord(_t0, "placing"))
            {
                // sin(1),2 from t where: a FROM read inside a call may be the statement's own.
                _sawFrom |= _t0.Is(SqlKeyword.From) && IsName(_t1);
                Advance();
                if (!ParseExpression(stopAtConnective: false, ref shape, out _))
                {
                    return false;
                }
            }
            else if (_t0.Is(SqlKeyword.Order) && _t1.Is(SqlKeyword.By))
            {
                if (!ParseOrderOrGroup(ref shape))
                {
                    return false;
                }
            }
            else
            {
                return true;
            }
        }
    }

    // (max), (8000), (10, 2) after a type name.
    private bool SkipTypeArguments()
    {
        Advance();
        while (_t0.Kind is SqlTokenKind.Number or SqlTokenKind.Comma || IsName(_t0))
        {
            Advance();
        }

        if (_t0.Kind == SqlTokenKind.RightParen)
        {
            Advance();
            return true;
        }

        return _t0.Kind == SqlTokenKind.End;
    }

    // OVER (PARTITION BY .. ORDER BY ..) and WITHIN GROUP (ORDER BY ..) after an aggregate.
    private bool SkipWindow(ref SqlShape shape)
    {
        if (IsWord(_t0, "within") && _t1.Is(SqlKeyword.Group) && _t2.Kind == SqlTokenKind.LeftParen)
        {
            Advance();
        }
        else if (!(IsWord(_t0, "over") && _t1.Kind == SqlTokenKind.LeftParen))
        {
            return true;
        }

        Advance();
        Advance();
        while (IsWord(_t0, "partition") || _t0.Is(SqlKeyword.Order))
        {
            if (!ParseOrderOrGroup(ref shape))
            {
                return false;
            }
        }

        if (_t0.Kind == SqlTokenKind.RightParen)
        {
            Advance();
            return true;
        }

        return _t0.Kind == SqlTokenKind.End;
    }

    /// <summary>
    /// <c>( ... )</c>: a subquery, a parenthesised expression or a list. A parenthesis the value leaves open at
    /// its end is accepted: the application's own text may close it (<c>') or ('a'='a</c>).
    /// </summary>
    private bool ParseParenthesized(ref SqlShape shape, out SqlOperand operand)
    {
        operand = SqlOperand.None;
        var open = _t0;
        _sawParentheses = true;
        Advance();
        if (!Enter())
        {
            return false;
        }

        bool ok;
        if (_t0.Is(SqlKeyword.Select))
        {
            Advance();
            var selected = new SqlShape();
            ok = ParseSelectBody(ref selected, out var select);
            shape.Merge(selected);
            operand = new SqlOperand(SqlOperandKind.Subquery, default);
            shape.HasSubquery = true;
            _sawSubquery = true;

            // (SELECT ... FROM t), (SELECT substr(login)): a query of the value's own ("(select one)" is a label).
            if ((select.HasFrom || selected.HasKnownFunction) && _statementDepth == 0)
            {
                Propose(SqlEvidence.Subquery, open.Start, _previousEnd);
            }
        }
        else
        {
            var inner = new SqlShape();
            ok = ParseExpression(stopAtConnective: false, ref inner, out var first);
            var count = 1;
            while (ok && _t0.Kind == SqlTokenKind.Comma)
            {
                Advance();
                ok = ParseExpression(stopAtConnective: false, ref inner, out _);
                count++;
            }

            // ((SELECT 1) UNION (SELECT 2))
            while (ok && first.Kind == SqlOperandKind.Subquery && IsSetOperator(_t0))
            {
                ok = ParseSetOperation();
            }

            shape.Merge(inner);
            operand = count == 1 && first.Kind != SqlOperandKind.None ? first : new SqlOperand(SqlOperandKind.Other, default);
        }

        Leave();
        if (!ok)
        {
            return false;
        }

        if (_t0.Kind == SqlTokenKind.RightParen)
        {
            Advance();
            return true;
        }

        return _t0.Kind == SqlTokenKind.End;
    }

    /// <summary>A SELECT where an operator expects its operand, without the parentheses a subquery needs.</summary>
    private bool ParseBareSubquery(ref SqlShape shape, out SqlOperand operand)
    {
        operand = new SqlOperand(SqlOperandKind.Subquery, default);
        Advance();
        var selected = new SqlShape();
        var ok = ParseSelectBody(ref selected, out _);
        shape.Merge(selected);
        shape.HasSubquery = true;
        _sawSubquery = true;
        return ok;
    }

    private bool ParseCase(ref SqlShape shape)
    {
        Advance();
        if (!Enter())
        {
            return false;
        }

        var ok = _t0.Is(SqlKeyword.When) || ParseExpression(stopAtConnective: false, ref shape, out _);
        var branches = 0;
        while (ok && _t0.Is(SqlKeyword.When))
        {
            Advance();
            branches++;
            ok = ParseExpression(stopAtConnective: false, ref shape, out _);
            if (ok && _t0.Is(SqlKeyword.Then))
            {
                Advance();
                ok = ParseExpression(stopAtConnective: false, ref shape, out _);
            }
            else
            {
                ok &= _t0.Kind == SqlTokenKind.End;
            }
        }

        if (ok && _t0.Is(SqlKeyword.Else))
        {
            Advance();
            ok = ParseExpression(stopAtConnective: false, ref shape, out _);
        }

        Leave();
        if (!ok || (branches == 0 && _t0.Kind != SqlTokenKind.End))
        {
            return false;
        }

        if (_t0.Is(SqlKeyword.End))
        {
            Advance();
            _closedCases++;
            return true;
        }

        return _t0.Kind == SqlTokenKind.End;
    }

    // {fn expr}, {d '2020-01-01'}, MySQL's {identifier expr}.
    private bool ParseOdbcEscape(ref SqlShape shape)
    {
        Advance();
        if (!IsWord(_t0) || !Enter())
        {
            return false;
        }

        Advance();
        var ok = ParseExpression(stopAtConnective: false, ref shape, out _);
        Leave();
        if (!ok)
        {
            return false;
        }

        if (_t0.Kind == SqlTokenKind.RightBrace)
        {
            Advance();
            return true;
        }

        return _t0.Kind == SqlTokenKind.End;
    }

    /// <summary>IS [NOT] NULL/TRUE/expression, [NOT] LIKE/IN/BETWEEN/REGEXP..., SOUNDS LIKE, SIMILAR TO, COLLATE, IN BOOLEAN MODE.</summary>
    private bool ParsePredicate(SqlOperand left, ref SqlShape shape)
    {
        if (_t0.Is(SqlKeyword.Not))
        {
            Advance();
        }

        var t = _t0;
        Advance();
        switch (t.Keyword)
        {
            case SqlKeyword.Is:
                var negated = _t0.Is(SqlKeyword.Not);
                if (negated)
                {
                    Advance();
                }

                if (_t0.Is(SqlKeyword.Null) || _t0.Is(SqlKeyword.True) || _t0.Is(SqlKeyword.False) || _t0.Is(SqlKeyword.Unknown))
                {
                    var literal = new SqlOperand(SqlOperandKind.Literal, _t0);
                    shape.HasNullTest |= _t0.Is(SqlKeyword.Null);
                    Advance();
                    shape.AddComparison(left, literal, _text);
                    return true;
                }

                if (_t0.Is(SqlKeyword.Distinct) && _t1.Is(SqlKeyword.From))
                {
                    Advance();
                    Advance();
                    return ParseComparedOperand(left, ref shape, inequality: !negated);
                }

                // SQLite compares any two values with IS and IS NOT (NULL-safe = and <>): 1 IS NOT 2 is as true
                // as 1 <> 2, but "yes" is not "no" is English. Not so MySQL, the only database with `names`.
                return _quote != '`' && ParseComparedOperand(left, ref shape, inequality: negated, differentStrings: false);
            case SqlKeyword.Like:
            case SqlKeyword.Rlike:
            case SqlKeyword.Regexp:
            case SqlKeyword.Glob:
            case SqlKeyword.Ilike:
                if (!ParseComparedOperand(left, ref shape))
                {
                    return false;
                }

                if (_t0.Is(SqlKeyword.Escape))
                {
                    Advance();
                    return ParseOperand(ref shape, out _);
                }

                return true;
            case SqlKeyword.Similar:
            case SqlKeyword.Sounds:
                if (!(_t0.Is(SqlKeyword.To) || _t0.Is(SqlKeyword.Like)))
                {
                    return false;
                }

                Advance();
                return ParseComparedOperand(left, ref shape);
            case SqlKeyword.In:
                if (_t0.Is(SqlKeyword.Boolean) || IsWord(_t0, "natural"))
                {
                    // MATCH (...) AGAINST ('x' IN BOOLEAN MODE): the words up to MODE.
                    for (var i = 0; i < 4 && !_t0.Is(SqlKeyword.Mode); i++)
                    {
                        Advance();
                    }

                    if (!_t0.Is(SqlKeyword.Mode))
                    {
                        return false;
                    }

                    Advance();
                    return true;
                }

                return _t0.Kind == SqlTokenKind.LeftParen && ParseComparedOperand(left, ref shape);
            case SqlKeyword.Between:
                if (!ParseExpression(stopAtConnective: true, ref shape, out var low) || !_t0.Is(SqlKeyword.And))
                {
                    return false;
                }

                shape.AddComparison(left, low, _text);
                Advance();
                return ParseExpression(stopAtConnective: true, ref shape, out _);
            case SqlKeyword.Collate:
                if (!IsName(_t0) && _t0.Kind != SqlTokenKind.String)
                {
                    return false;
                }

                Advance();
                return true;
            default:
                return false;
        }
    }

    private bool ParseComparedOperand(SqlOperand left, ref SqlShape shape, bool inequality = false, bool differentStrings = true)
    {
        if (!ParseRightOperand(ref shape, out var right))
        {
            return false;
        }

        shape.AddComparison(left, right, _text, inequality, differentStrings);
        return true;
    }
}
