namespace Palisade.Detection.Detectors.Sqli;

/// <summary>
/// One token of SQL text: its class, where it sits in the text, and for keywords, operators and strings the
/// detail the grammar needs. Tokens never copy text; they point into the span they were read from.
/// </summary>
internal readonly record struct SqlToken(
    SqlTokenKind Kind,
    int Start,
    int Length,
    SqlKeyword Keyword = SqlKeyword.None,
    SqlOperator Operator = SqlOperator.None,
    char Quote = '\0',
    bool Unterminated = false)
{
    public int End => Start + Length;

    public bool Is(SqlKeyword keyword) => Kind == SqlTokenKind.Keyword && Keyword == keyword;

    public bool Is(SqlOperator op) => Kind == SqlTokenKind.Operator && Operator == op;

    /// <summary>The text of a string literal between its quotes (to the end when unterminated).</summary>
    public ReadOnlySpan<char> StringContent(ReadOnlySpan<char> text)
    {
        if (Quote == '$')
        {
            // $$...$$: two-character delimiters.
            var bodyEnd = Unterminated ? End : End - 2;
            return bodyEnd > Start + 2 ? text[(Start + 2)..bodyEnd] : [];
        }

        var open = text.Slice(Start, Length).IndexOf(Quote);
        if (open < 0)
        {
            return [];
        }

        var contentStart = Start + open + 1;
        var contentEnd = Unterminated ? End : End - 1;
        return contentEnd > contentStart ? text[contentStart..contentEnd] : [];
    }
}
