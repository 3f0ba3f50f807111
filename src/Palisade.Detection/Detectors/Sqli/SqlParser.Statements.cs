namespace Palisade.Detection.Detectors.Sqli;

/// <summary>Statements: stacked after the query, posted on their own, and the skim that follows a decisive head.</summary>
internal ref partial struct SqlParser
{
    /// <summary>
    /// A statement after the application's query, separated by <c>;</c> or, for SQL Server, by nothing at all.
    /// Statements only SQL Server batches contain (EXEC, DECLARE @x, WAITFOR, GOTO) and anything after an
    /// explicit <c>;</c> are decisive. An ordinary statement glued on without a separator
    /// (<c>db.execute('delete from t ...</c>) is common in posted code, so it counts only when the value then
    /// cuts the query off with a comment or a separator.
    /// </summary>
    private bool ParseStackedStatement(int separatorStart, bool explicitSeparator)
    {
        var start = explicitSeparator ? separatorStart : _t0.Start;
        if (!Enter())
        {
            return false;
        }

        var head = ParseStatementHead(out var select);
        Leave();
        switch (head)
        {
            case SqlStatementHead.Invalid:
                return false;
            case SqlStatementHead.Select:
                if (explicitSeparator && (_entry != SqlEntry.Operand || select.HasComputedItem || select.HasFrom))
                {
                    Commit(SqlEvidence.StackedQuery, start, _previousEnd);
                }
                else if (!explicitSeparator && (select.HasFrom || select.HasComputedItem))
                {
                    Propose(SqlEvidence.StackedQuery, start, _previousEnd);
                }

                return true;
            case SqlStatementHead.Ordinary when !explicitSeparator:
                var headEnd = _previousEnd;
                Skim();
                if (_trailingCommentStart >= 0 || _skimEndedWithSeparator)
                {
                    Commit(SqlEvidence.StackedQuery, start, headEnd);
                }

                return true;
            default:
                // After a phrase ("the servers' shutdown"), a statement word glued to the quote is prose.
                if (explicitSeparator || _entry != SqlEntry.BreakOut || ClosedSingleValue())
                {
                    Commit(SqlEvidence.StackedQuery, start, _previousEnd);
                }

                Skim();
                return true;
        }
    }

    /// <summary>
    /// A statement after an explicit <c>;</c> whose first word the tokenizer reads as a name: MySQL's
    /// <c>DO expr</c>, which evaluates an expression and discards it (<c>;do (1=1)</c>, <c>;do sleep(5)</c>), and
    /// PostgreSQL's and SQLite's bare <c>ANALYZE</c> (<c>';analyze--</c>). DO counts when its expression compares
    /// or calls a SQL function; ANALYZE after a break-out, when nothing but the end of the statement follows it.
    /// </summary>
    /// <returns>Whether <c>_t0</c> starts such a statement; <paramref name="parsed"/> tells if it was grammatical.</returns>
    private bool TryParseWordStatement(int separatorStart, out bool parsed)
    {
        parsed = false;
        if (IsWord(_t0, "do") && (_t1.Kind == SqlTokenKind.LeftParen || (IsName(_t1) && _t2.Kind == SqlTokenKind.LeftParen)))
        {
            Advance();
            var shape = new SqlShape();
            parsed = ParseExpression(stopAtConnective: false, ref shape, out _)
                && _t0.Kind is SqlTokenKind.End or SqlTokenKind.Semicolon;
            if (parsed && _statementDepth == 0 && (shape.HasComparison || shape.HasKnownFunction))
            {
                Commit(SqlEvidence.StackedQuery, separatorStart, _previousEnd);
            }

            return true;
        }

        // After a break-out only: collect;analyze;report is a list of steps.
        if (_entry == SqlEntry.BreakOut && IsWord(_t0, "analyze") && _t1.Kind is SqlTokenKind.End or SqlTokenKind.Semicolon)
        {
            Advance();
            if (_statementDepth == 0)
            {
                Commit(SqlEvidence.StackedQuery, separatorStart, _previousEnd);
            }

            parsed = true;
            return true;
        }

        return false;
    }

    /// <summary>
    /// A value that is a statement of its own. Posted SQL is content, not an injection, unless it reaches for
    /// what only an attacker needs: system catalogs and variables, time delays, files, commands.
    /// </summary>
    private bool ParseStatementEntry()
    {
        while (true)
        {
            var opening = _t0;
            var head = ParseStatementHead(out var select);

            // SELECT ... FROM t WHERE <end>: built to run in front of the application's own condition.
            if (select.HasFrom && _t0.Kind == SqlTokenKind.End && EndsWithOpenCondition())
            {
                Commit(SqlEvidence.OpenStatement, 0, _text.Length);
            }

            if (head == SqlStatementHead.Invalid)
            {
                // A select list garbled on purpose (sin((('1')),2 from bar where) still ends the same way.
                if (opening.Is(SqlKeyword.Select) && SkipToEndAfterFrom())
                {
                    Commit(SqlEvidence.OpenStatement, 0, _text.Length);
                }

                return false;
            }

            if (head != SqlStatementHead.Select || _t0.Kind != SqlTokenKind.Semicolon)
            {
                Skim();
                if (_obfuscated)
                {
                    // SELECT/**/password/**/FROM: nobody writes SQL for reading like that.
                    Commit(SqlEvidence.CommentObfuscation, 0, _text.Length);
                }
                else if (_gluedKeyword)
                {
                    // SELECT 1FROM[t]WHERE\1=\1, SELECT\N/0.e3UNION SELECT 2: nor like that.
                    Commit(SqlEvidence.LexerObfuscation, 0, _text.Length);
                }

                if (_skimEndedWithSeparator && _trailingCommentStart >= 0 && _trailingCommentBare)
                {
                    // DELETE FROM users;-- : a statement that ends itself and comments out whatever follows.
                    Commit(SqlEvidence.CommentTruncation, 0, _text.Length);
                }

                return true;
            }

            while (_t0.Kind == SqlTokenKind.Semicolon)
            {
                Advance();
            }

            if (_t0.Kind == SqlTokenKind.End)
            {
                if (_obfuscated)
                {
                    // SELECT/**/password/**/FROM/**/users; ends with its separator, and is written the same way.
                    Commit(SqlEvidence.CommentObfuscation, 0, _text.Length);
                }
                else if (_gluedKeyword)
                {
                    Commit(SqlEvidence.LexerObfuscation, 0, _text.Length);
                }

                if (_trailingCommentStart >= 0 && _trailingCommentBare)
                {
                    Commit(SqlEvidence.CommentTruncation, 0, _text.Length);
                }

                return true;
            }
        }
    }

    // A lone quote at the very end, reopening a string the application's own closing quote ends (;').
    private readonly bool IsBalancingQuote(SqlToken t) =>
        t.Kind == SqlTokenKind.String && t.Unterminated && ClosesAtEnd(t) && _t1.Kind == SqlTokenKind.End
        && _text[(t.Start + 1)..].IndexOfAnyExcept(SqlCharacters.Whitespace) < 0 && _text[t.Start] == t.Quote;

    private readonly bool EndsWithOpenCondition() =>
        _last.Is(SqlKeyword.Where) || _last.Is(SqlKeyword.And) || _last.Is(SqlKeyword.Or);

    /// <summary>
    /// Reads the rest of a statement that did not parse, token by token, and tells whether it names a table
    /// after FROM and then stops at a dangling WHERE, AND or OR.
    /// </summary>
    private bool SkipToEndAfterFrom()
    {
        while (_t0.Kind != SqlTokenKind.End)
        {
            _sawFrom |= _t0.Is(SqlKeyword.From) && IsName(_t1);
            Advance();
        }

        return _sawFrom && EndsWithOpenCondition();
    }

    /// <summary>
    /// Reads the opening words of a statement and tells which kind it is, or that it is none. Conditions inside
    /// a statement (<c>SELECT ... WHERE 1=1</c>) belong to that statement, not to the application's query, so
    /// they are not judged while it is read.
    /// </summary>
    private SqlStatementHead ParseStatementHead(out SqlSelectShape select)
    {
        _statementDepth++;
        var head = ReadStatementHead(out select);
        _statementDepth--;
        return head;
    }

    private SqlStatementHead ReadStatementHead(out SqlSelectShape select)
    {
        select = default;
        var t = _t0;
        if (t.Kind == SqlTokenKind.LeftParen && _t1.Is(SqlKeyword.Select))
        {
            // (SELECT ...) as a statement of its own.
            var shape = new SqlShape();
            return ParseParenthesized(ref shape, out _) ? SqlStatementHead.Select : SqlStatementHead.Invalid;
        }

        Advance();
        switch (t.Keyword)
        {
            case SqlKeyword.Select:
                var selectShape = new SqlShape();
                var parsed = ParseSelectBody(ref selectShape, out select);
                return parsed || select.HasFrom ? SqlStatementHead.Select : SqlStatementHead.Invalid;
            case SqlKeyword.Insert:
            case SqlKeyword.Replace:
                if (_t0.Is(SqlKeyword.Into))
                {
                    Advance();
                }

                return SkipName() ? SqlStatementHead.Ordinary : SqlStatementHead.Invalid;
            case SqlKeyword.Update:
                return SkipName() && (_t0.Is(SqlKeyword.Set) || _t0.Kind == SqlTokenKind.End) ? SqlStatementHead.Ordinary : SqlStatementHead.Invalid;
            case SqlKeyword.Delete:
                if (_t0.Is(SqlKeyword.From))
                {
                    Advance();
                }

                return SkipName() ? SqlStatementHead.Ordinary : SqlStatementHead.Invalid;
            case SqlKeyword.Drop:
            case SqlKeyword.Create:
            case SqlKeyword.Alter:
                return SkipObjectDefinition() ? SqlStatementHead.Ordinary : SqlStatementHead.Invalid;
            case SqlKeyword.Truncate:
                if (IsWord(_t0, "table"))
                {
                    Advance();
                }

                return SkipName() ? SqlStatementHead.Ordinary : SqlStatementHead.Invalid;
            case SqlKeyword.Rename:
                return IsWord(_t0, "table") ? SqlStatementHead.Ordinary : SqlStatementHead.Invalid;
            case SqlKeyword.Grant:
            case SqlKeyword.Revoke:
                return IsName(_t0) || _t0.Is(SqlKeyword.All) || _t0.Is(SqlKeyword.Select) || _t0.Is(SqlKeyword.Insert)
                    ? SqlStatementHead.Ordinary
                    : SqlStatementHead.Invalid;
            case SqlKeyword.Set:
                // SET @x = ..., SET name = ...
                if (_t0.Kind is SqlTokenKind.Variable or SqlTokenKind.SystemVariable || IsName(_t0))
                {
                    var variable = _t0.Kind is SqlTokenKind.Variable or SqlTokenKind.SystemVariable;
                    Advance();
                    if (IsComparison(_t0) || _t0.Is(SqlOperator.Assign) || _t0.Is(SqlKeyword.To) || (variable && _t0.Kind == SqlTokenKind.End))
                    {
                        return SqlStatementHead.Ordinary;
                    }
                }

                return SqlStatementHead.Invalid;
            case SqlKeyword.Print:
                var printShape = new SqlShape();
                return ParseExpression(stopAtConnective: false, ref printShape, out _) ? SqlStatementHead.Ordinary : SqlStatementHead.Invalid;
            case SqlKeyword.Call:
                return SkipName() && _t0.Kind == SqlTokenKind.LeftParen ? SqlStatementHead.Ordinary : SqlStatementHead.Invalid;
            case SqlKeyword.Handler:
                return SkipName() ? SqlStatementHead.Ordinary : SqlStatementHead.Invalid;
            case SqlKeyword.Exec:
            case SqlKeyword.Execute:
                return ParseExecuteHead(t.Start);
            case SqlKeyword.Declare:
                return _t0.Kind == SqlTokenKind.Variable ? SqlStatementHead.TransactSql : SqlStatementHead.Invalid;
            case SqlKeyword.Waitfor:
                if ((_t0.Is(SqlKeyword.Delay) || IsWord(_t0, "time")) && _t1.Kind == SqlTokenKind.String)
                {
                    Commit(SqlEvidence.TimeDelay, t.Start, _t1.End);
                    Advance();
                    Advance();
                    return SqlStatementHead.TransactSql;
                }

                return SqlStatementHead.Invalid;
            case SqlKeyword.Shutdown:
                // SHUTDOWN [WITH NOWAIT], then nothing but the end of the statement.
                return _t0.Kind is SqlTokenKind.End or SqlTokenKind.Semicolon || _t0.Is(SqlKeyword.With)
                    ? SqlStatementHead.TransactSql
                    : SqlStatementHead.Invalid;
            case SqlKeyword.Begin:
                return IsWord(_t0, "try") || IsWord(_t0, "tran") || IsWord(_t0, "transaction") || IsStatementKeyword(_t0)
                    ? SqlStatementHead.TransactSql
                    : SqlStatementHead.Invalid;
            case SqlKeyword.Goto:
                return IsName(_t0) ? SqlStatementHead.TransactSql : SqlStatementHead.Invalid;
            case SqlKeyword.If:
                // IF <condition> <statement>; MySQL's procedural IF reads the same, with any expression after it.
                var condition = new SqlShape();
                if (!ParseExpression(stopAtConnective: false, ref condition, out _))
                {
                    return SqlStatementHead.Invalid;
                }

                // IF(7423=7424) SELECT ...: a branch on constants asks the database a yes/no question. (A batch
                // file's if "%1"=="" goto x branches on its arguments.)
                if (condition.HasLiteralComparison && IsQueryKeyword(_t0))
                {
                    Commit(SqlEvidence.BooleanCondition, t.Start, _previousEnd);
                }

                if (!IsStatementKeyword(_t0))
                {
                    return condition.HasSubquery ? SqlStatementHead.TransactSql : SqlStatementHead.Invalid;
                }

                if (!Enter())
                {
                    return SqlStatementHead.Invalid;
                }

                var inner = ParseStatementHead(out select);
                Leave();
                return inner == SqlStatementHead.Invalid ? SqlStatementHead.Invalid : SqlStatementHead.TransactSql;
            case SqlKeyword.Copy:
                // COPY t FROM '/etc/passwd', COPY t TO '/tmp/x', COPY t FROM PROGRAM 'id'
                if (SkipName() && (_t0.Is(SqlKeyword.From) || _t0.Is(SqlKeyword.To)))
                {
                    Commit(SqlEvidence.FileAccess, t.Start, _t0.End);
                    return SqlStatementHead.FileTransfer;
                }

                return SqlStatementHead.Invalid;
            case SqlKeyword.Load:
                // LOAD DATA [LOCAL] INFILE, LOAD XML INFILE
                if ((IsWord(_t0, "data") || IsWord(_t0, "xml")) && (IsWord(_t1, "infile") || (IsWord(_t1, "local") && IsWord(_t2, "infile"))))
                {
                    Commit(SqlEvidence.FileAccess, t.Start, _t1.End);
                    return SqlStatementHead.FileTransfer;
                }

                return SqlStatementHead.Invalid;
            case SqlKeyword.Bulk:
                if (_t0.Is(SqlKeyword.Insert))
                {
                    Commit(SqlEvidence.FileAccess, t.Start, _t0.End);
                    return SqlStatementHead.FileTransfer;
                }

                return SqlStatementHead.Invalid;
            case SqlKeyword.Backup:
                if (IsWord(_t0, "database") || IsWord(_t0, "log"))
                {
                    Commit(SqlEvidence.FileAccess, t.Start, _t0.End);
                    return SqlStatementHead.FileTransfer;
                }

                return SqlStatementHead.Invalid;
            default:
                return SqlStatementHead.Invalid;
        }
    }

    // EXEC xp_cmdshell 'dir', EXEC master..xp_dirtree '\\host\x', EXEC(@s), EXEC @s, EXECUTE IMMEDIATE '...'.
    private SqlStatementHead ParseExecuteHead(int start)
    {
        if (_t0.Kind is SqlTokenKind.LeftParen or SqlTokenKind.Variable)
        {
            return SqlStatementHead.TransactSql;
        }

        if (IsWord(_t0, "immediate"))
        {
            Advance();
            return SqlStatementHead.TransactSql;
        }

        if (!IsName(_t0))
        {
            return SqlStatementHead.Invalid;
        }

        var nameStart = _t0.Start;
        var first = _t0;
        if (!SkipName())
        {
            return SqlStatementHead.Invalid;
        }

        var name = _text[nameStart.._previousEnd];
        var evidence = SqlFunctions.Classify(name) switch
        {
            SqlFunctionKind.CommandExecution => SqlEvidence.CommandExecution,
            SqlFunctionKind.OutOfBand => SqlEvidence.OutOfBand,
            SqlFunctionKind.FileAccess => SqlEvidence.FileAccess,
            _ => SqlEvidence.None,
        };

        if (evidence != SqlEvidence.None)
        {
            Commit(evidence, start, _previousEnd);
        }

        // A procedure, not a word: sp_x, xp_x, master..x, dbo.x. "10 exec chairs" executes nothing.
        var procedure = evidence != SqlEvidence.None || name.Contains('.') || NameText(first).StartsWith("sp_", StringComparison.OrdinalIgnoreCase)
            || NameText(first).StartsWith("xp_", StringComparison.OrdinalIgnoreCase);
        return procedure ? SqlStatementHead.TransactSql : SqlStatementHead.Invalid;
    }

    // DROP TABLE [IF EXISTS] t, CREATE [OR REPLACE] [TEMPORARY] TABLE t, ALTER USER u, CREATE USER u ...
    private bool SkipObjectDefinition()
    {
        if (_t0.Is(SqlKeyword.Or) && _t1.Is(SqlKeyword.Replace))
        {
            Advance();
            Advance();
        }

        while (IsWord(_t0, "temporary") || IsWord(_t0, "temp") || IsWord(_t0, "unique") || IsWord(_t0, "global"))
        {
            Advance();
        }

        if (_t0.Kind == SqlTokenKind.End)
        {
            // ;drop<end>: the value stops where the object is due.
            return true;
        }

        if (!IsObjectKind(_t0))
        {
            // DROP t; : a bare name where the statement ends (MySQL wants TABLE, the intent is the same).
            return IsName(_t0) && _t1.Kind is SqlTokenKind.End or SqlTokenKind.Semicolon && SkipName();
        }

        Advance();
        if (_t0.Is(SqlKeyword.If))
        {
            Advance();
            if (_t0.Is(SqlKeyword.Not))
            {
                Advance();
            }

            if (!_t0.Is(SqlKeyword.Exists))
            {
                return false;
            }

            Advance();
        }

        return SkipName();
    }

    private readonly bool IsObjectKind(SqlToken t) =>
        t.Is(SqlKeyword.Procedure) || IsWord(t, "table") || IsWord(t, "database") || IsWord(t, "schema")
        || IsWord(t, "view") || IsWord(t, "function") || IsWord(t, "trigger") || IsWord(t, "index") || IsWord(t, "user")
        || IsWord(t, "login") || IsWord(t, "role") || IsWord(t, "event") || IsWord(t, "sequence") || IsWord(t, "synonym")
        || IsWord(t, "tablespace");

    // A possibly qualified name (db.t, master..xp_cmdshell, [dbo].[t]), without judging it. The value may end
    // before the name (; insert into): the statement's own words are already there.
    private bool SkipName()
    {
        if (_t0.Kind == SqlTokenKind.End)
        {
            return true;
        }

        if (!IsName(_t0))
        {
            return false;
        }

        Advance();
        while (_t0.Kind == SqlTokenKind.Dot)
        {
            Advance();
            if (_t0.Kind == SqlTokenKind.Dot)
            {
                Advance();
            }

            if (!IsWord(_t0))
            {
                return false;
            }

            Advance();
        }

        return true;
    }
}
