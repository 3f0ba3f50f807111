namespace Palisade.Detection.Detectors.Sqli;

/// <summary>
/// What makes a value an injection, from the weakest to the strongest signal. The grammar records evidence
/// where it meets it; <see cref="SqlEvidenceInfo"/> maps each kind to its fixed reason and score.
/// </summary>
internal enum SqlEvidence
{
    None,

    /// <summary>The value ends inside a call to a SQL function (<c>CHAR(</c>, <c>GROUP_CONCAT(</c>): a fragment of SQL.</summary>
    FunctionFragment,

    /// <summary>The value ends by opening a subquery or CASE (<c>(SELECT</c>, <c>(CASE</c>): a fragment of SQL.</summary>
    SubqueryFragment,

    /// <summary>A SQL expression (function call, subquery) spliced in right after a string break-out.</summary>
    ExpressionAfterBreakOut,

    /// <summary>An expression over string literals cast with <c>::</c> (<c>'[1]'::jsonb || '2'::jsonb</c>).</summary>
    TypedLiteral,

    /// <summary>A value that is a lone quote, a space and a statement keyword or UNION (<c>' union/</c>).</summary>
    KeywordAfterBreakOut,

    /// <summary>A break-out followed only by a comment that cuts off the rest of the query (<c>admin'--</c>).</summary>
    CommentTruncation,

    /// <summary>A break-out followed only by the end of the statement (<c>admin';</c>).</summary>
    StatementTermination,

    /// <summary>An expression closed, named and followed by FROM (<c>) AS x FROM</c>): the end of a select list the value took over.</summary>
    SelectListTail,

    /// <summary>A parenthesised subquery with a FROM clause given as a plain value.</summary>
    Subquery,

    /// <summary>A SELECT ... FROM left open at a dangling WHERE/AND/OR, to absorb the application's own condition.</summary>
    OpenStatement,

    /// <summary><c>ORDER BY 3</c> / <c>GROUP BY 3</c>: counting the query's columns before a UNION.</summary>
    ColumnEnumeration,

    /// <summary>
    /// <c>ORDER BY IFNULL(NULL, x)</c>, <c>ORDER BY (SELECT ...)</c>: a sort on a SQL expression the value appends,
    /// how a blind injection asks a yes/no question through the order of the rows.
    /// </summary>
    SortExpression,

    /// <summary>A condition joined with AND/OR (<c>and 1=2</c>, <c>or 'a' like 'a</c>, <c>and ascii(...)&gt;64</c>).</summary>
    BooleanCondition,

    /// <summary>A condition that is always true (<c>or 1=1</c>, <c>' or ''='</c>).</summary>
    Tautology,

    /// <summary>Comments standing in for spaces (<c>UNION/**/SELECT</c>) or MySQL versioned comments (<c>/*!50000SELECT*/</c>).</summary>
    CommentObfuscation,

    /// <summary>
    /// Keywords glued to numbers only a database's lexer splits (<c>1FROM</c>, <c>0.e3UNION</c>, SQL Server's
    /// <c>\1AND</c> money constant, <c>0xUNION</c>).
    /// </summary>
    LexerObfuscation,

    /// <summary>A character code taken from a one-character substring: <c>ASCII(SUBSTRING(x,1,1))</c>, how blind injections read data.</summary>
    BlindExtraction,

    /// <summary>CHAR()/CHR() calls chained to spell a string without quoting it.</summary>
    CharacterEncoding,

    /// <summary>A reference to a system catalog (<c>information_schema</c>, <c>sysobjects</c>, <c>pg_shadow</c>).</summary>
    SystemCatalog,

    /// <summary>A system variable (<c>@@version</c>).</summary>
    SystemVariable,

    /// <summary>A function that reveals the server (<c>version()</c>, <c>database()</c>).</summary>
    Fingerprinting,

    /// <summary>A second statement after the query (<c>; DROP TABLE</c>, <c>'; EXEC xp_cmdshell</c>).</summary>
    StackedQuery,

    /// <summary><c>UNION [ALL] SELECT</c> appended to the query.</summary>
    UnionSelect,

    /// <summary>A function that forces an error carrying data (<c>extractvalue</c>, <c>convert(int, ...)</c>).</summary>
    ErrorBased,

    /// <summary>A function or statement that makes the server contact another host.</summary>
    OutOfBand,

    /// <summary><c>SLEEP</c>, <c>BENCHMARK</c>, <c>PG_SLEEP</c>, <c>WAITFOR DELAY</c>.</summary>
    TimeDelay,

    /// <summary><c>LOAD_FILE</c>, <c>INTO OUTFILE</c>, <c>LOAD DATA INFILE</c>, <c>COPY ... FROM</c>, <c>BULK INSERT</c>.</summary>
    FileAccess,

    /// <summary><c>xp_cmdshell</c> and other ways of running operating-system commands.</summary>
    CommandExecution,
}
