namespace Palisade.Detection.Detectors.Sqli;

/// <summary>The lexical classes <see cref="SqlTokenizer"/> produces.</summary>
internal enum SqlTokenKind
{
    /// <summary>No more input; the token sits at the end of the text with length zero.</summary>
    End,

    /// <summary><c>42</c>, <c>1.5</c>, <c>.5</c>, <c>1e5</c>, <c>0x41</c>, <c>0b101</c>.</summary>
    Number,

    /// <summary><c>'x'</c>, <c>"x"</c>, <c>N'x'</c>, <c>X'41'</c>, <c>E'x'</c>, <c>$$x$$</c>; see <see cref="SqlToken.Quote"/>.</summary>
    String,

    /// <summary>A bare word that is not a keyword (column, table or function name, or plain text).</summary>
    Identifier,

    /// <summary><c>`name`</c> or <c>[name]</c>.</summary>
    QuotedIdentifier,

    /// <summary>A word of the grammar (<c>SELECT</c>, <c>OR</c>, <c>UNION</c>...); see <see cref="SqlToken.Keyword"/>.</summary>
    Keyword,

    /// <summary>A user variable: <c>@name</c>, <c>@'name'</c>, or a lone <c>@</c>.</summary>
    Variable,

    /// <summary>A system variable: <c>@@version</c>.</summary>
    SystemVariable,

    /// <summary>An operator; see <see cref="SqlToken.Operator"/>.</summary>
    Operator,

    LeftParen,
    RightParen,
    Comma,
    Semicolon,
    Dot,
    LeftBrace,
    RightBrace,

    /// <summary><c>-- ...</c> or <c># ...</c> up to the end of the line.</summary>
    LineComment,

    /// <summary><c>/* ... */</c> (possibly unterminated). MySQL's <c>/*! ... */</c> is not a comment: its content is SQL.</summary>
    BlockComment,

    /// <summary>Any other character (<c>?</c>, <c>:</c>, <c>\</c>, <c>]</c>...).</summary>
    Other,
}
