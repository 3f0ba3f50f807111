namespace Palisade.Detection.Detectors.Xss;

/// <summary>What <see cref="JsTokenizer"/> found.</summary>
public enum JsTokenKind
{
    None,

    /// <summary>A name or keyword, possibly spelled with <c>\u0061</c> escapes.</summary>
    Identifier,

    NumericLiteral,

    /// <summary>A <c>'...'</c> or <c>"..."</c> literal (unterminated ones end at the line's end).</summary>
    StringLiteral,

    /// <summary>A piece of a template literal: <c>`...`</c>, <c>`...${</c>, <c>}...${</c> or <c>}...`</c>.</summary>
    Template,

    /// <summary>A regular expression literal <c>/.../flags</c>.</summary>
    RegExpLiteral,

    /// <summary>An operator or delimiter: <c>(</c>, <c>]</c>, <c>.</c>, <c>;</c>, <c>=</c>, <c>+=</c>, <c>=&gt;</c>..., or a stray character.</summary>
    Punctuator,
}
