namespace Palisade.Detection.Detectors.Xss;

/// <summary>
/// One attribute of a tag as the tokenizer cut it: the name and the value exactly as written (character
/// references are not decoded: <see cref="HtmlEntityDecoder"/> does that where it matters), with their
/// offsets in the tokenizer's input so findings can point at them.
/// </summary>
public readonly ref struct HtmlAttributeToken
{
    public HtmlAttributeToken(ReadOnlySpan<char> name, int start, ReadOnlySpan<char> value, int valueStart, bool hasValue, int end, bool cutOff = false)
    {
        IsCutOff = cutOff;
        Name = name;
        Start = start;
        Value = value;
        ValueStart = valueStart;
        HasValue = hasValue;
        End = end;
    }

    /// <summary>The name as written (case preserved).</summary>
    public ReadOnlySpan<char> Name { get; }

    /// <summary>Offset of the name's first character.</summary>
    public int Start { get; }

    /// <summary>The raw value without its quotes; empty when there is none.</summary>
    public ReadOnlySpan<char> Value { get; }

    /// <summary>Offset of the value's first character (after an opening quote).</summary>
    public int ValueStart { get; }

    /// <summary>True when the attribute had <c>=</c>.</summary>
    public bool HasValue { get; }

    /// <summary>Offset just past the attribute (past a closing quote).</summary>
    public int End { get; }

    public int Length => End - Start;

    /// <summary>
    /// The input ended right after <c>=</c> (<c>&lt;x onend=</c>): a reflected value continues with the page, so
    /// the attribute's value is whatever follows.
    /// </summary>
    public bool IsCutOff { get; }
}
