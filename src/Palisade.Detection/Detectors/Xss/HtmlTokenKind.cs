namespace Palisade.Detection.Detectors.Xss;

/// <summary>What <see cref="HtmlTokenizer"/> found at its current position.</summary>
public enum HtmlTokenKind
{
    /// <summary>Nothing read yet, or the input is exhausted.</summary>
    None,

    /// <summary>Character data, including a <c>&lt;</c> that does not open markup (<c>a &lt; b</c>).</summary>
    Text,

    /// <summary><c>&lt;name ...&gt;</c>; its attributes are read with <see cref="HtmlTokenizer.TryReadAttribute"/>.</summary>
    StartTag,

    /// <summary><c>&lt;/name ...&gt;</c>.</summary>
    EndTag,

    /// <summary><c>&lt;!-- ... --&gt;</c>.</summary>
    Comment,

    /// <summary>What HTML turns into a comment: <c>&lt;? ... &gt;</c>, <c>&lt;! ... &gt;</c>, <c>&lt;/ ... &gt;</c>, CDATA outside SVG/MathML.</summary>
    BogusComment,

    /// <summary><c>&lt;!DOCTYPE ...&gt;</c>.</summary>
    Doctype,

    /// <summary><c>&lt;![CDATA[ ... ]]&gt;</c> inside SVG or MathML.</summary>
    CData,
}
