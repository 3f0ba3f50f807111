namespace Palisade.Detection.Detectors.Sqli;

/// <summary>
/// The skim: once a decisive statement head has been read, the rest of the value is not parsed any more but
/// scanned, token by token, for what else it reaches (functions, system objects, further statements).
/// </summary>
internal ref partial struct SqlParser
{
    private void Skim()
    {
        _skimming = true;
        var lastKind = SqlTokenKind.End;
        while (_t0.Kind != SqlTokenKind.End)
        {
            var t = _t0;
            lastKind = t.Kind;
            if (t.Kind == SqlTokenKind.Semicolon)
            {
                Advance();
                if (IsStatementKeyword(_t0) && Enter())
                {
                    var statementStart = _t0.Start;
                    if (ParseStatementHead(out _) != SqlStatementHead.Invalid && _entry != SqlEntry.Statement)
                    {
                        Commit(SqlEvidence.StackedQuery, statementStart, _previousEnd);
                    }

                    Leave();
                }

                continue;
            }

            if (t.Kind == SqlTokenKind.SystemVariable)
            {
                Commit(SqlEvidence.SystemVariable, t.Start, t.End);
            }
            else if (IsSetOperator(t) && _entry != SqlEntry.Statement
                && (_t1.Is(SqlKeyword.Select) || ((_t1.Is(SqlKeyword.All) || _t1.Is(SqlKeyword.Distinct)) && _t2.Is(SqlKeyword.Select))))
            {
                Commit(SqlEvidence.UnionSelect, t.Start, _t1.End);
            }
            else if (t.Is(SqlKeyword.Into) && (_t1.Is(SqlKeyword.Outfile) || _t1.Is(SqlKeyword.Dumpfile)))
            {
                Commit(SqlEvidence.FileAccess, t.Start, _t1.End);
            }
            else if (t.Is(SqlKeyword.Waitfor) && _t1.Is(SqlKeyword.Delay))
            {
                Commit(SqlEvidence.TimeDelay, t.Start, _t1.End);
            }
            else if (IsWord(t))
            {
                SkimName();
                continue;
            }

            Advance();
        }

        _skimEndedWithSeparator = lastKind == SqlTokenKind.Semicolon;
    }

    // A name met while skimming: a call is classified by its function, a bare name checked against the catalogs.
    private void SkimName()
    {
        var first = _t0;
        var last = first;
        var parts = 1;
        Advance();
        while (_t0.Kind == SqlTokenKind.Dot && (IsWord(_t1) || _t1.Kind == SqlTokenKind.Dot))
        {
            Advance();
            if (_t0.Kind == SqlTokenKind.Dot)
            {
                Advance();
            }

            if (!IsWord(_t0))
            {
                return;
            }

            last = _t0;
            parts++;
            Advance();
        }

        if (_t0.Kind != SqlTokenKind.LeftParen)
        {
            CheckSystemName(first, last, parts);
            return;
        }

        var name = _text[first.Start..last.End];
        var kind = SqlFunctions.Classify(name);
        if (kind == SqlFunctionKind.FingerprintWithoutArguments && _t1.Kind != SqlTokenKind.RightParen)
        {
            return;
        }

        if (name.Equals("convert", StringComparison.OrdinalIgnoreCase) && IsWord(_t1) && IsIntegerType(NameText(_t1))
            && _t2.Kind == SqlTokenKind.Comma)
        {
            Commit(SqlEvidence.ErrorBased, first.Start, _t2.End);
        }

        var numeric = _t1.Kind == SqlTokenKind.Number && _t2.Kind is SqlTokenKind.RightParen or SqlTokenKind.Comma ? 1 : 0;
        RecordFunction(kind, first.Start, _t0.End, arguments: 1, numericArguments: numeric);
    }
}
