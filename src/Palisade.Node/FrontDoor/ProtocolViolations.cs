namespace Palisade.Node.FrontDoor;

/// <summary>The stable names (events, metric labels) and response statuses of <see cref="ProtocolViolation"/>s.</summary>
public static class ProtocolViolations
{
    private static readonly string[] Codes =
    [
        "request_line_too_long", "request_headers_timeout", "bad_request_line", "bad_method", "bad_target", "fragment_in_target", "bad_percent_encoding", "nul_in_target",
        "unsupported_version", "bad_version", "bare_lf", "bare_cr", "obs_fold", "bad_header_name", "control_character_in_header",
        "headers_too_large", "too_many_headers", "underscore_in_framing_header", "missing_host", "duplicate_host", "bad_host",
        "host_mismatch", "duplicate_content_type", "unsupported_charset", "duplicate_charset", "bad_content_length", "duplicate_content_length",
        "content_length_with_transfer_encoding", "duplicate_transfer_encoding", "chunked_not_final", "unsupported_transfer_coding",
        "bad_transfer_encoding", "transfer_encoding_in_http10", "bad_chunk_size", "bad_chunk_extension", "chunk_line_too_long",
        "bad_chunk_terminator", "forbidden_trailer", "trailers_too_large", "connection_specific_header",
    ];

    /// <summary>Every violation, in declaration order (for metrics resolved once).</summary>
    public static IReadOnlyList<ProtocolViolation> All { get; } = Enum.GetValues<ProtocolViolation>();

    /// <summary>The snake_case name used in events and as the <c>reason</c> label.</summary>
    public static string Code(this ProtocolViolation violation) => Codes[(int)violation];

    /// <summary>The JSON body of the front door's answer to a refused request.</summary>
    public static string ResponseBody(this ProtocolViolation violation, string requestId) =>
        $$"""{"error":"protocol_violation","reason":"{{violation.Code()}}","status":{{violation.Status().ToString(System.Globalization.CultureInfo.InvariantCulture)}},"request_id":"{{requestId}}"}""" + "\n";

    /// <summary>The status the front door answers with: 414, 431, 501, 505, else 400.</summary>
    public static int Status(this ProtocolViolation violation) => violation switch
    {
        ProtocolViolation.RequestLineTooLong => 414,
        ProtocolViolation.RequestHeadersTimeout => 408,
        ProtocolViolation.HeadersTooLarge or ProtocolViolation.TooManyHeaders or ProtocolViolation.TrailersTooLarge => 431,
        ProtocolViolation.UnsupportedTransferCoding => 501,
        ProtocolViolation.UnsupportedCharset => 415,
        ProtocolViolation.UnsupportedVersion => 505,
        _ => 400,
    };
}
