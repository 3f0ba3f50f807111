namespace Palisade.Detection.Detectors.Sqli;

/// <summary>Questions about tokens the grammar asks.</summary>
internal ref partial struct SqlParser
{
    private static bool IsConnective(SqlToken t) =>
        t.Is(SqlKeyword.And) || t.Is(SqlKeyword.Or) || t.Is(SqlKeyword.Xor)
        || t.Is(SqlOperator.DoublePipe) || t.Is(SqlOperator.DoubleAmpersand);

    private static bool IsComparison(SqlToken t) =>
        t.Is(SqlOperator.Comparison) || t.Is(SqlOperator.Tilde);

    private readonly bool IsInequality(SqlToken t) =>
        t.Is(SqlOperator.Comparison) && _text.Slice(t.Start, t.Length) is "!=" or "<>";

    /// <summary>XOR, RLIKE, REGEXP: operators that are no English words.</summary>
    private static bool IsSqlOnlyOperator(SqlToken t) =>
        t.Is(SqlKeyword.Xor) || t.Is(SqlKeyword.Rlike) || t.Is(SqlKeyword.Regexp);

    private static bool IsBinaryOperator(SqlToken t) =>
        t.Kind == SqlTokenKind.Operator
            ? t.Operator is SqlOperator.Comparison or SqlOperator.Arithmetic or SqlOperator.Bitwise or SqlOperator.Tilde
                or SqlOperator.Assign or SqlOperator.Json
            : t.Is(SqlKeyword.Div) || t.Is(SqlKeyword.Mod);

    private readonly bool IsPrefixOperator(SqlToken t) =>
        t.Kind == SqlTokenKind.Operator
            ? t.Operator is SqlOperator.Tilde or SqlOperator.Bang || (t.Operator == SqlOperator.Arithmetic && _text[t.Start] is '-' or '+')
            : t.Is(SqlKeyword.Not) || t.Is(SqlKeyword.Binary);

    private readonly bool IsPredicateStart(SqlToken t)
    {
        if (t.Kind != SqlTokenKind.Keyword)
        {
            return false;
        }

        if (t.Keyword == SqlKeyword.Not)
        {
            // x NOT LIKE y, x NOT IN (...), x NOT BETWEEN a AND b (asked of _t0 only).
            return _t1.Kind == SqlTokenKind.Keyword && _t1.Keyword is SqlKeyword.Like or SqlKeyword.Rlike
                or SqlKeyword.Regexp or SqlKeyword.Glob or SqlKeyword.Ilike or SqlKeyword.Similar or SqlKeyword.In
                or SqlKeyword.Between;
        }

        return t.Keyword is SqlKeyword.Is or SqlKeyword.Like or SqlKeyword.Rlike or SqlKeyword.Regexp or SqlKeyword.Glob
            or SqlKeyword.Ilike or SqlKeyword.Similar or SqlKeyword.Sounds or SqlKeyword.In or SqlKeyword.Between
            or SqlKeyword.Collate;
    }

    private static bool IsSetOperator(SqlToken t) =>
        t.Is(SqlKeyword.Union) || t.Is(SqlKeyword.Except) || t.Is(SqlKeyword.Intersect) || t.Is(SqlKeyword.Minus);

    private static bool IsStatementKeyword(SqlToken t) =>
        t.Kind == SqlTokenKind.Keyword && t.Keyword is SqlKeyword.Select or SqlKeyword.Insert or SqlKeyword.Replace
            or SqlKeyword.Update or SqlKeyword.Delete or SqlKeyword.Drop or SqlKeyword.Create or SqlKeyword.Alter
            or SqlKeyword.Truncate or SqlKeyword.Rename or SqlKeyword.Grant or SqlKeyword.Revoke or SqlKeyword.Set
            or SqlKeyword.Call or SqlKeyword.Handler or SqlKeyword.Exec or SqlKeyword.Execute or SqlKeyword.Declare
            or SqlKeyword.Waitfor or SqlKeyword.Shutdown or SqlKeyword.Begin or SqlKeyword.Goto or SqlKeyword.If
            or SqlKeyword.Copy or SqlKeyword.Load or SqlKeyword.Bulk or SqlKeyword.Backup or SqlKeyword.Print;

    // UNION and the statements that change or run things: what a break-out reaches for (SET, IF, PRINT, CALL... are words).
    private static bool IsQueryKeyword(SqlToken t) =>
        t.Kind == SqlTokenKind.Keyword && t.Keyword is SqlKeyword.Union or SqlKeyword.Intersect or SqlKeyword.Except
            or SqlKeyword.Select or SqlKeyword.Insert or SqlKeyword.Update or SqlKeyword.Delete or SqlKeyword.Drop
            or SqlKeyword.Create or SqlKeyword.Alter or SqlKeyword.Truncate or SqlKeyword.Exec or SqlKeyword.Execute
            or SqlKeyword.Declare or SqlKeyword.Waitfor or SqlKeyword.Shutdown;

    // Keywords that are also function names: IF(...), INSERT(...), REPLACE(...), VALUES(...), LIKE(...) and GLOB(...)
    // (SQLite), MOD(...).
    private static bool IsFunctionKeyword(SqlKeyword keyword) =>
        keyword is SqlKeyword.If or SqlKeyword.Insert or SqlKeyword.Replace or SqlKeyword.Values or SqlKeyword.Like
            or SqlKeyword.Glob or SqlKeyword.Mod or SqlKeyword.Truncate;

    private readonly bool CanStartOperand(SqlToken t) => t.Kind switch
    {
        SqlTokenKind.Number or SqlTokenKind.String or SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier
            or SqlTokenKind.Variable or SqlTokenKind.SystemVariable or SqlTokenKind.LeftParen or SqlTokenKind.LeftBrace => true,
        SqlTokenKind.Operator => IsPrefixOperator(t),
        SqlTokenKind.Keyword => t.Keyword is SqlKeyword.Not or SqlKeyword.Null or SqlKeyword.True or SqlKeyword.False
            or SqlKeyword.Case or SqlKeyword.Exists or SqlKeyword.Binary or SqlKeyword.Interval
            || !SqlKeywords.IsReserved(t.Keyword)
            || (IsFunctionKeyword(t.Keyword) && _t1.Kind == SqlTokenKind.LeftParen),
        _ => false,
    };

    /// <summary>A name in a position that needs one: an identifier, a quoted identifier, or a non-reserved word.</summary>
    private static bool IsName(SqlToken t) =>
        t.Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier
        || (t.Kind == SqlTokenKind.Keyword && !SqlKeywords.IsReserved(t.Keyword));

    /// <summary>Any word at all, reserved or not (after a dot every word is a name: t.select).</summary>
    private static bool IsWord(SqlToken t) =>
        t.Kind is SqlTokenKind.Identifier or SqlTokenKind.QuotedIdentifier or SqlTokenKind.Keyword;

    private static bool IsAliasName(SqlToken t) =>
        IsName(t) && !(t.Kind == SqlTokenKind.Keyword && t.Keyword is SqlKeyword.Offset or SqlKeyword.Fetch or SqlKeyword.Lock
            or SqlKeyword.Mode or SqlKeyword.Share or SqlKeyword.Rollup or SqlKeyword.Delay or SqlKeyword.Begin
            or SqlKeyword.Goto or SqlKeyword.If or SqlKeyword.Shutdown or SqlKeyword.Copy or SqlKeyword.Load
            or SqlKeyword.Bulk or SqlKeyword.Backup or SqlKeyword.Call or SqlKeyword.Handler or SqlKeyword.Rename
            or SqlKeyword.Replace or SqlKeyword.Print);

    // A function that sleeps, runs commands, touches files or calls out: a call of it needs no SELECT around it.
    private readonly bool IsDangerousCall(SqlToken name) =>
        SqlFunctions.Classify(NameText(name)) is SqlFunctionKind.TimeDelay or SqlFunctionKind.CommandExecution
            or SqlFunctionKind.FileAccess or SqlFunctionKind.OutOfBand;

    // A '?' standing where an operand is due, not glued to a word ("?x=1" is a query string).
    private readonly bool IsParameterMarker(SqlToken t) =>
        t.Length == 1 && _text[t.Start] == '?' && (t.End == _text.Length || !(SqlTokenizer.IsWordPart(_text[t.End]) || _text[t.End] is '=' or '?'));

    // NOTNULL, ISNULL as a postfix test (PostgreSQL, SQLite), not the ISNULL(x) function.
    private readonly bool IsPostfixNullTest(SqlToken t) =>
        (IsWord(t, "notnull") || IsWord(t, "isnull")) && _t1.Kind != SqlTokenKind.LeftParen;

    private readonly bool IsWord(SqlToken t, string word) =>
        t.Kind is SqlTokenKind.Identifier or SqlTokenKind.Keyword && _text.Slice(t.Start, t.Length).Equals(word, StringComparison.OrdinalIgnoreCase);

    /// <summary>The text of a name without its quotes (<c>`t`</c> and <c>[t]</c> give <c>t</c>).</summary>
    private readonly ReadOnlySpan<char> NameText(SqlToken t)
    {
        var text = _text.Slice(t.Start, t.Length);
        if (t.Kind == SqlTokenKind.QuotedIdentifier && text.Length >= 2)
        {
            return t.Unterminated ? text[1..] : text[1..^1];
        }

        return text;
    }

    private static bool IsNumericType(ReadOnlySpan<char> name) =>
        IsIntegerType(name) || name.Equals("int2", StringComparison.OrdinalIgnoreCase) || name.Equals("int4", StringComparison.OrdinalIgnoreCase)
        || name.Equals("int8", StringComparison.OrdinalIgnoreCase) || name.Equals("numeric", StringComparison.OrdinalIgnoreCase)
        || name.Equals("decimal", StringComparison.OrdinalIgnoreCase) || name.Equals("bool", StringComparison.OrdinalIgnoreCase)
        || name.Equals("boolean", StringComparison.OrdinalIgnoreCase) || name.Equals("float", StringComparison.OrdinalIgnoreCase)
        || name.Equals("float8", StringComparison.OrdinalIgnoreCase) || name.Equals("real", StringComparison.OrdinalIgnoreCase)
        || name.Equals("double", StringComparison.OrdinalIgnoreCase);

    private static bool IsIntegerType(ReadOnlySpan<char> name) =>
        name.Equals("int", StringComparison.OrdinalIgnoreCase) || name.Equals("integer", StringComparison.OrdinalIgnoreCase)
        || name.Equals("bigint", StringComparison.OrdinalIgnoreCase) || name.Equals("smallint", StringComparison.OrdinalIgnoreCase);
}
