namespace Palisade.Node.FrontDoor;

/// <summary>
/// The sizes the front door enforces on an HTTP/1.x request head and on chunked framing. The defaults are Kestrel's
/// (nginx allows an 8 KiB line and 32 KiB of headers with its usual large_client_header_buffers 4 8k); see
/// <c>docs/limits-and-failure-modes.md</c>.
/// </summary>
public sealed record FrontDoorLimits
{
    /// <summary>Method, target and version, without the CRLF: longer is 414.</summary>
    public int MaxRequestLineBytes { get; init; } = 8 * 1024;

    /// <summary>All header lines with their CRLFs: more is 431.</summary>
    public int MaxHeaderBytes { get; init; } = 32 * 1024;

    /// <summary>Header fields: more is 431.</summary>
    public int MaxHeaderCount { get; init; } = 100;

    /// <summary>A chunk-size line with its extensions (CVE-2025-55315 abused unbounded ones): longer is 400.</summary>
    public int MaxChunkLineBytes { get; init; } = 4 * 1024;

    /// <summary>All trailer lines of a chunked body: more is 431.</summary>
    public int MaxTrailerBytes { get; init; } = 8 * 1024;
}
