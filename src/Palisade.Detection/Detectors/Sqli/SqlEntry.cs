namespace Palisade.Detection.Detectors.Sqli;

/// <summary>How a value enters the application's query, which decides what the grammar expects first.</summary>
internal enum SqlEntry
{
    /// <summary>
    /// The value sat inside a quoted string and closed it (<c>admin' or '1'='1</c>): what follows the
    /// closing quote must continue the query after an operand.
    /// </summary>
    BreakOut,

    /// <summary>Unquoted, and the value starts with an operand: <c>1 or 1=1</c>, <c>-1 union select 1</c>.</summary>
    Operand,

    /// <summary>Unquoted, and the value starts where an operand already stood: <c>and 1=1</c>, <c>order by 3</c>, <c>) or sleep(5)</c>.</summary>
    Suffix,

    /// <summary>The value is a statement of its own: <c>select @@version</c>, or SQL posted as content.</summary>
    Statement,
}
