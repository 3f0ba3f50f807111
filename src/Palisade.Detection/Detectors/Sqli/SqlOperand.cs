namespace Palisade.Detection.Detectors.Sqli;

/// <summary>
/// One operand the grammar read, with the token that spells it when it is a single literal or name, so
/// comparisons can tell <c>1=1</c> (a tautology) from <c>price=10</c>.
/// </summary>
internal readonly record struct SqlOperand(SqlOperandKind Kind, SqlToken Token)
{
    public static SqlOperand None => default;

    public bool IsLiteral => Kind == SqlOperandKind.Literal;

    /// <summary>
    /// The comparable text of a literal or name: a string's content, a number's digits, a name as written.
    /// For the string the application opened and the value closed, the content is the text before the break-out.
    /// </summary>
    public ReadOnlySpan<char> Text(ReadOnlySpan<char> text)
    {
        if (Token.Kind == SqlTokenKind.String)
        {
            return Token.Start < 0 ? text[..Token.Length] : Token.StringContent(text);
        }

        return Kind is SqlOperandKind.Literal or SqlOperandKind.Identifier && Token.Start >= 0
            ? text.Slice(Token.Start, Token.Length)
            : [];
    }
}
