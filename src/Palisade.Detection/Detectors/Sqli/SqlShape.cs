using System.Globalization;

namespace Palisade.Detection.Detectors.Sqli;

/// <summary>
/// What an expression is made of, gathered while it is parsed: the grammar judges a condition by its shape
/// (<c>1=1</c> compares two equal literals; <c>price &gt; 10</c> compares a column) rather than by its words.
/// </summary>
internal struct SqlShape
{
    /// <summary>A comparison or predicate (<c>=</c>, <c>LIKE</c>, <c>IS NULL</c>, <c>IN</c>, <c>BETWEEN</c>).</summary>
    public bool HasComparison;

    /// <summary>A comparison between two literals (<c>1=2</c>, <c>'a'='b'</c>): no application writes one.</summary>
    public bool HasLiteralComparison;

    /// <summary>A comparison that is always true (<c>1=1</c>, <c>'a'='a'</c>, <c>x=x</c>).</summary>
    public bool HasTautology;

    public bool HasLiteral;

    /// <summary>A comparison of two single-quoted strings (<c>'1001'='10</c>, <c>'1' NOT REGEXP '2'</c>).</summary>
    public bool HasQuotedComparison;

    /// <summary>A string left open for the application's closing quote (<c>' or 'a</c>).</summary>
    public bool HasOpenString;

    public bool HasFunction;

    /// <summary>A string literal cast with <c>::</c> (<c>'{"a":1}'::jsonb</c>): PostgreSQL's typed constant.</summary>
    public bool HasTypedLiteral;

    /// <summary>A binary operator applied to operands (<c>a - 1</c>, <c>x #&gt;&gt; '{a}'</c>).</summary>
    public bool HasOperation;

    /// <summary>A call to a function SQL defines (<c>ASCII</c>, <c>SUBSTRING</c>, <c>SLEEP</c>), not just any name followed by a parenthesis.</summary>
    public bool HasKnownFunction;

    public bool HasSubquery;

    /// <summary>IS [NOT] NULL, NOTNULL, ISNULL: SQL's own test for a missing value.</summary>
    public bool HasNullTest;

    public bool HasIdentifier;

    /// <summary>Only literals: <c>'1'</c>, <c>1</c>, <c>'' ^ ''</c>, <c>true</c>.</summary>
    public readonly bool IsLiteralsOnly => HasLiteral && !HasIdentifier && !HasFunction && !HasSubquery;

    public void Add(in SqlOperand operand)
    {
        switch (operand.Kind)
        {
            case SqlOperandKind.Literal:
                HasLiteral = true;
                HasOpenString |= operand.Token.Unterminated;
                break;
            case SqlOperandKind.Identifier:
            case SqlOperandKind.Variable:
                HasIdentifier = true;
                break;
            case SqlOperandKind.Function:
                HasFunction = true;
                break;
            case SqlOperandKind.Subquery:
                HasSubquery = true;
                break;
        }
    }

    /// <summary>Records <c>left op right</c> for a comparison operator or predicate.</summary>
    /// <param name="left">The left operand.</param>
    /// <param name="right">The right operand.</param>
    /// <param name="text">The text the operands' tokens point into.</param>
    /// <param name="inequality">The operator is <c>!=</c> or <c>&lt;&gt;</c>: true when the two sides differ.</param>
    /// <param name="differentStrings">Whether two different strings make an inequality a tautology (not so for
    /// English words: <c>"yes" is not "no"</c>).</param>
    public void AddComparison(in SqlOperand left, in SqlOperand right, ReadOnlySpan<char> text, bool inequality = false, bool differentStrings = true)
    {
        HasComparison = true;
        if (left.IsLiteral && right.IsLiteral)
        {
            HasLiteralComparison = true;
            HasQuotedComparison |= left.Token.Kind == SqlTokenKind.String && left.Token.Quote == '\''
                && right.Token.Kind == SqlTokenKind.String && right.Token.Quote == '\'';
        }

        if (inequality)
        {
            // 11 != 1, 'x' <> 'y': two different constants of one kind are always unequal.
            HasTautology |= left.IsLiteral && right.IsLiteral && left.Token.Kind == right.Token.Kind
                && (left.Token.Kind == SqlTokenKind.Number || (differentStrings && left.Token.Kind == SqlTokenKind.String))
                && !SameConstant(left, right, text);
            return;
        }

        if (left.Kind == right.Kind && left.Kind is SqlOperandKind.Literal or SqlOperandKind.Identifier
            && left.Token.Kind != SqlTokenKind.Other && right.Token.Kind != SqlTokenKind.Other)
        {
            var a = left.Text(text);
            var b = right.Text(text);
            if ((left.IsLiteral || !a.IsEmpty) && a.Equals(b, StringComparison.OrdinalIgnoreCase))
            {
                HasTautology = true;
            }
        }
    }

    private static bool SameConstant(in SqlOperand left, in SqlOperand right, ReadOnlySpan<char> text)
    {
        var a = left.Text(text);
        var b = right.Text(text);
        if (left.Token.Kind == SqlTokenKind.Number
            && double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            && double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
        {
            return x == y;
        }

        return a.Equals(b, StringComparison.OrdinalIgnoreCase);
    }

    public void Merge(in SqlShape other)
    {
        HasComparison |= other.HasComparison;
        HasLiteralComparison |= other.HasLiteralComparison;
        HasTautology |= other.HasTautology;
        HasQuotedComparison |= other.HasQuotedComparison;
        HasLiteral |= other.HasLiteral;
        HasOpenString |= other.HasOpenString;
        HasFunction |= other.HasFunction;
        HasTypedLiteral |= other.HasTypedLiteral;
        HasOperation |= other.HasOperation;
        HasKnownFunction |= other.HasKnownFunction;
        HasSubquery |= other.HasSubquery;
        HasNullTest |= other.HasNullTest;
        HasIdentifier |= other.HasIdentifier;
    }
}
