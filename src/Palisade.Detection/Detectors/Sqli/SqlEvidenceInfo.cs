namespace Palisade.Detection.Detectors.Sqli;

/// <summary>The fixed reason and the confidence of each kind of <see cref="SqlEvidence"/>.</summary>
internal static class SqlEvidenceInfo
{
    /// <summary>The reason shown with a finding. Fixed text: it never contains request data.</summary>
    public static string Reason(SqlEvidence evidence, bool afterBreakOut) => evidence switch
    {
        SqlEvidence.FunctionFragment => "SQL function call fragment",
        SqlEvidence.SubqueryFragment => "SQL subquery fragment",
        SqlEvidence.ExpressionAfterBreakOut => "SQL expression after string break-out",
        SqlEvidence.TypedLiteral => "expression over typed SQL literals",
        SqlEvidence.KeywordAfterBreakOut => "query keyword after a lone quote",
        SqlEvidence.CommentTruncation => afterBreakOut ? "comment truncation after break-out" : "comment truncation after SQL expression",
        SqlEvidence.StatementTermination => "statement terminated after break-out",
        SqlEvidence.CommentObfuscation => "comment obfuscation",
        SqlEvidence.LexerObfuscation => "keyword glued to a number",
        SqlEvidence.BlindExtraction => "character-by-character extraction",
        SqlEvidence.SelectListTail => "select list closed and continued with FROM",
        SqlEvidence.Subquery => "subquery",
        SqlEvidence.OpenStatement => "statement left open for the query's tail",
        SqlEvidence.ColumnEnumeration => "ORDER BY column probe",
        SqlEvidence.SortExpression => "ORDER BY a SQL expression",
        SqlEvidence.BooleanCondition => afterBreakOut ? "boolean condition after string break-out" : "boolean condition",
        SqlEvidence.Tautology => afterBreakOut ? "tautology after string break-out" : "tautology",
        SqlEvidence.CharacterEncoding => "character-code obfuscation",
        SqlEvidence.SystemCatalog => "system catalog reference",
        SqlEvidence.SystemVariable => "system variable",
        SqlEvidence.Fingerprinting => "database fingerprinting function",
        SqlEvidence.StackedQuery => "stacked query",
        SqlEvidence.UnionSelect => "UNION SELECT",
        SqlEvidence.ErrorBased => "error-based extraction function",
        SqlEvidence.OutOfBand => "out-of-band request",
        SqlEvidence.TimeDelay => "time-delay function",
        SqlEvidence.FileAccess => "file read or write",
        SqlEvidence.CommandExecution => "command execution",
        _ => "",
    };

    /// <summary>Confidence (0-100) that the value is an injection attempt.</summary>
    public static int Score(SqlEvidence evidence) => evidence switch
    {
        SqlEvidence.FunctionFragment => 40,
        SqlEvidence.SubqueryFragment => 40,
        SqlEvidence.ExpressionAfterBreakOut => 65,
        SqlEvidence.TypedLiteral => 65,
        SqlEvidence.KeywordAfterBreakOut => 65,
        SqlEvidence.CommentTruncation => 70,
        SqlEvidence.StatementTermination => 60,
        SqlEvidence.CommentObfuscation => 80,
        SqlEvidence.LexerObfuscation => 80,
        SqlEvidence.BlindExtraction => 85,
        SqlEvidence.SelectListTail => 60,
        SqlEvidence.Subquery => 75,
        SqlEvidence.OpenStatement => 60,
        SqlEvidence.ColumnEnumeration => 80,
        SqlEvidence.SortExpression => 75,
        SqlEvidence.BooleanCondition => 80,
        SqlEvidence.Tautology => 90,
        SqlEvidence.CharacterEncoding => 80,
        SqlEvidence.SystemCatalog => 85,
        SqlEvidence.SystemVariable => 85,
        SqlEvidence.Fingerprinting => 85,
        SqlEvidence.StackedQuery => 90,
        SqlEvidence.UnionSelect => 95,
        SqlEvidence.ErrorBased => 90,
        SqlEvidence.OutOfBand => 95,
        SqlEvidence.TimeDelay => 95,
        SqlEvidence.FileAccess => 95,
        SqlEvidence.CommandExecution => 95,
        _ => 0,
    };
}
