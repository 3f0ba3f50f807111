namespace Palisade.Detection.Detectors.Sqli;

/// <summary>What one operand of an expression is.</summary>
internal enum SqlOperandKind
{
    None,

    /// <summary>A number, string, TRUE/FALSE/NULL (possibly in parentheses).</summary>
    Literal,

    /// <summary>A column or other name.</summary>
    Identifier,

    /// <summary>A <c>@variable</c> or <c>@@variable</c>.</summary>
    Variable,

    /// <summary>A function call.</summary>
    Function,

    /// <summary>A parenthesised SELECT.</summary>
    Subquery,

    /// <summary>Anything else: a parenthesised list, a CASE expression, <c>*</c>.</summary>
    Other,
}
