namespace Palisade.Node.FrontDoor;

/// <summary>
/// Why the front door refused a request before it was parsed for inspection. A violation is not a detection: it is
/// refused in every mode, <c>off</c> included, because the node and the application could read such a request
/// differently (request smuggling, content-type confusion).
/// </summary>
public enum ProtocolViolation
{
    RequestLineTooLong,
    RequestHeadersTimeout,
    BadRequestLine,
    BadMethod,
    BadTarget,
    FragmentInTarget,
    BadPercentEncoding,
    NulInTarget,
    UnsupportedVersion,
    BadVersion,
    BareLineFeed,
    BareCarriageReturn,
    ObsoleteLineFolding,
    BadHeaderName,
    ControlCharacterInHeader,
    HeadersTooLarge,
    TooManyHeaders,
    UnderscoreInFramingHeader,
    MissingHost,
    DuplicateHost,
    BadHost,
    HostMismatch,
    DuplicateContentType,
    UnsupportedCharset,
    DuplicateCharset,
    BadContentLength,
    DuplicateContentLength,
    ContentLengthWithTransferEncoding,
    DuplicateTransferEncoding,
    ChunkedNotFinal,
    UnsupportedTransferCoding,
    BadTransferEncoding,
    TransferEncodingInHttp10,
    BadChunkSize,
    BadChunkExtension,
    ChunkLineTooLong,
    BadChunkTerminator,
    ForbiddenTrailer,
    TrailersTooLarge,
    ConnectionSpecificHeader,
}
