namespace Palisade.Detection.Detectors.Xss;

/// <summary>One token of <see cref="JsTokenizer"/>: its kind, where it sits, and whether a line break precedes it.</summary>
public readonly record struct JsToken(JsTokenKind Kind, int Start, int Length, bool NewlineBefore)
{
    public int End => Start + Length;

    /// <summary>True when the token is the punctuator <paramref name="text"/>.</summary>
    public bool Is(ReadOnlySpan<char> source, string text) =>
        Kind == JsTokenKind.Punctuator && source.Slice(Start, Length).SequenceEqual(text);

    /// <summary>True for a template piece that opens a substitution (ends with <c>${</c>).</summary>
    public bool OpensSubstitution(ReadOnlySpan<char> source) =>
        Kind == JsTokenKind.Template && Length >= 2 && source[End - 1] == '{' && source[End - 2] == '$';
}
