namespace Palisade.Detection.Parsing;

/// <summary>What became of a body sent with a <c>Content-Encoding</c>.</summary>
public enum ContentCodingStatus
{
    /// <summary>No coding, or only <c>identity</c>: the body is what it is.</summary>
    None,

    /// <summary>Decoded completely.</summary>
    Decoded,

    /// <summary>Decoded up to where the bytes end (the body is a prefix, or the stream is cut short).</summary>
    Partial,

    /// <summary>Decoding stopped at the size or ratio budget; the output holds what came before.</summary>
    TooLarge,

    /// <summary>A coding the decoder does not know, or bytes that are not in it: the body is inspected as sent.</summary>
    Undecodable,
}
