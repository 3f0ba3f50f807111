namespace Palisade.Detection.Detectors.Sqli;

/// <summary>What an operator token does in an expression.</summary>
internal enum SqlOperator
{
    None,

    /// <summary><c>= == &lt;&gt; != &lt; &gt; &lt;= &gt;= &lt;=&gt; !&lt; !&gt; &lt;@</c>.</summary>
    Comparison,

    /// <summary><c>+ - * / %</c>.</summary>
    Arithmetic,

    /// <summary><c>&amp; | ^ &lt;&lt; &gt;&gt;</c>.</summary>
    Bitwise,

    /// <summary><c>||</c>: OR in MySQL, concatenation elsewhere. Either way it joins an injected operand.</summary>
    DoublePipe,

    /// <summary><c>&amp;&amp;</c>: AND in MySQL.</summary>
    DoubleAmpersand,

    /// <summary><c>!</c> (prefix NOT).</summary>
    Bang,

    /// <summary><c>~</c>: bitwise NOT as a prefix, regular-expression match (PostgreSQL) between operands.</summary>
    Tilde,

    /// <summary><c>:=</c> (MySQL assignment).</summary>
    Assign,

    /// <summary><c>::</c> (PostgreSQL cast).</summary>
    Cast,

    /// <summary><c>-&gt;</c> and <c>-&gt;&gt;</c> (JSON extraction).</summary>
    Json,
}
