using System.Text;

namespace Palisade.Node.FrontDoor;

/// <summary>
/// Checks one HTTP/1.x request head line by line (request line, then each field line) and, at its end, the framing
/// the fields declare. Strict where a lenient reading could differ from the application's: one way to delimit the
/// body, one Host, one Content-Type, no obs-fold, no control characters, no underscore twins of framing headers.
/// </summary>
internal sealed class RequestHeadValidator
{
    // Names whose underscore spelling some frameworks (CGI, PHP, WSGI) merge with the hyphenated one.
    private static readonly byte[][] FramingNames =
    [
        "content-length"u8.ToArray(), "transfer-encoding"u8.ToArray(), "content-type"u8.ToArray(), "content-encoding"u8.ToArray(),
        "host"u8.ToArray(), "connection"u8.ToArray(), "upgrade"u8.ToArray(), "x-forwarded-for"u8.ToArray(),
        "x-forwarded-proto"u8.ToArray(), "x-forwarded-host"u8.ToArray(), "x-real-ip"u8.ToArray(), "forwarded"u8.ToArray(),
    ];

    private static readonly System.Buffers.SearchValues<byte> PlainTargetBytes = System.Buffers.SearchValues.Create(
        "!\"$&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    private readonly FrontDoorLimits _limits;
    private int _headerCount;
    private int _contentLengths;
    private int _transferEncodings;
    private int _hosts;
    private int _contentTypes;
    private bool _chunked;
    private bool _http10;
    private bool _upgrade;
    private bool _connectionUpgrade;
    private string? _host;
    private string? _targetAuthority;

    public RequestHeadValidator(FrontDoorLimits limits) => _limits = limits;

    public long ContentLength { get; private set; }

    public BodyFraming Framing { get; private set; }

    /// <summary>An Upgrade request without a body: after a 101 the connection carries another protocol.</summary>
    public bool IsUpgrade { get; private set; }

    public void Reset()
    {
        _headerCount = _contentLengths = _transferEncodings = _hosts = _contentTypes = 0;
        _chunked = _http10 = _upgrade = _connectionUpgrade = false;
        _host = _targetAuthority = null;
        ContentLength = 0;
        Framing = BodyFraming.None;
        IsUpgrade = false;
    }

    /// <summary>The request line without its CRLF.</summary>
    public ProtocolViolation? RequestLine(ReadOnlySpan<byte> line)
    {
        if (line.Length > _limits.MaxRequestLineBytes)
        {
            return ProtocolViolation.RequestLineTooLong;
        }

        var firstSpace = line.IndexOf((byte)' ');
        if (firstSpace < 0)
        {
            return ProtocolViolation.BadRequestLine;
        }

        var method = line[..firstSpace];
        var rest = line[(firstSpace + 1)..];
        var secondSpace = rest.IndexOf((byte)' ');
        if (secondSpace < 0)
        {
            // "GET /" is HTTP/0.9, which has no headers to frame anything with.
            return ProtocolViolation.BadRequestLine;
        }

        var target = rest[..secondSpace];
        var version = rest[(secondSpace + 1)..];
        if (!HttpSyntax.IsToken(method))
        {
            return ProtocolViolation.BadMethod;
        }

        if (CheckVersion(version) is { } badVersion)
        {
            return badVersion;
        }

        return CheckTarget(method, target);
    }

    /// <summary>A field line without its CRLF.</summary>
    public ProtocolViolation? FieldLine(ReadOnlySpan<byte> line)
    {
        if (++_headerCount > _limits.MaxHeaderCount)
        {
            return ProtocolViolation.TooManyHeaders;
        }

        if (CheckField(line, out var name, out var value) is { } bad)
        {
            return bad;
        }

        if (name.Contains((byte)'_') && IsFramingName(name))
        {
            return ProtocolViolation.UnderscoreInFramingHeader;
        }

        if (HttpSyntax.EqualsLower(name, "content-length"u8))
        {
            return ContentLengthField(value);
        }

        if (HttpSyntax.EqualsLower(name, "transfer-encoding"u8))
        {
            return TransferEncodingField(value);
        }

        if (HttpSyntax.EqualsLower(name, "host"u8))
        {
            return HostField(value);
        }

        if (HttpSyntax.EqualsLower(name, "content-type"u8))
        {
            return ++_contentTypes > 1 ? ProtocolViolation.DuplicateContentType : Charsets.Check(value);
        }

        if (HttpSyntax.EqualsLower(name, "x-up-devcap-post-charset"u8))
        {
            // Read by some frameworks as the body's charset in place of Content-Type's (CRS 920490).
            return ProtocolViolation.UnsupportedCharset;
        }

        if (HttpSyntax.EqualsLower(name, "upgrade"u8))
        {
            _upgrade = true;
        }
        else if (HttpSyntax.EqualsLower(name, "connection"u8))
        {
            foreach (var range in value.Split((byte)','))
            {
                _connectionUpgrade |= HttpSyntax.EqualsLower(HttpSyntax.TrimWhitespace(value[range]), "upgrade"u8);
            }
        }

        return null;
    }

    /// <summary>The head is complete: checks what only the whole head can tell and settles the framing.</summary>
    public ProtocolViolation? Complete()
    {
        if (_hosts == 0 && !_http10)
        {
            return ProtocolViolation.MissingHost;
        }

        if (_targetAuthority is not null && _host is not null && !string.Equals(_targetAuthority, _host, StringComparison.OrdinalIgnoreCase))
        {
            return ProtocolViolation.HostMismatch;
        }

        if (_transferEncodings > 0 && _contentLengths > 0)
        {
            return ProtocolViolation.ContentLengthWithTransferEncoding;
        }

        if (_transferEncodings > 0 && _http10)
        {
            return ProtocolViolation.TransferEncodingInHttp10;
        }

        Framing = _chunked ? BodyFraming.Chunked : _contentLengths > 0 ? BodyFraming.ContentLength : BodyFraming.None;
        IsUpgrade = _upgrade && _connectionUpgrade && Framing == BodyFraming.None;
        return null;
    }

    /// <summary>
    /// Splits a field line into name and trimmed value. Shared with trailers: no obs-fold, a token name directly
    /// followed by ':', no control characters in the value.
    /// </summary>
    public static ProtocolViolation? CheckField(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        name = value = default;
        if (line.Length > 0 && line[0] is (byte)' ' or (byte)'\t')
        {
            return ProtocolViolation.ObsoleteLineFolding;
        }

        var colon = line.IndexOf((byte)':');
        if (colon <= 0 || !HttpSyntax.IsToken(line[..colon]))
        {
            return ProtocolViolation.BadHeaderName;
        }

        name = line[..colon];
        value = HttpSyntax.TrimWhitespace(line[(colon + 1)..]);
        var first = value.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E);
        if (first < 0)
        {
            return null;
        }

        foreach (var b in value[first..])
        {
            if (b == (byte)'\r')
            {
                return ProtocolViolation.BareCarriageReturn;
            }

            if (HttpSyntax.IsControl(b))
            {
                return ProtocolViolation.ControlCharacterInHeader;
            }
        }

        return null;
    }

    private ProtocolViolation? CheckVersion(ReadOnlySpan<byte> version)
    {
        if (version.SequenceEqual("HTTP/1.1"u8))
        {
            _http10 = false;
            return null;
        }

        if (version.SequenceEqual("HTTP/1.0"u8))
        {
            _http10 = true;
            return null;
        }

        var wellFormed = version.Length == 8 && version.StartsWith("HTTP/"u8) && char.IsAsciiDigit((char)version[5]) && version[6] == '.' && char.IsAsciiDigit((char)version[7]);
        return wellFormed ? ProtocolViolation.UnsupportedVersion : ProtocolViolation.BadVersion;
    }

    private ProtocolViolation? CheckTarget(ReadOnlySpan<byte> method, ReadOnlySpan<byte> target)
    {
        // Printable ASCII but '%' and '#' needs no look; the loop starts at the first byte that does.
        var special = target.IndexOfAnyExcept(PlainTargetBytes);
        for (var i = special < 0 ? target.Length : special; i < target.Length; i++)
        {
            var b = target[i];
            if (b == (byte)'#')
            {
                return ProtocolViolation.FragmentInTarget;
            }

            if (b == (byte)'%')
            {
                if (i + 2 >= target.Length || !HttpSyntax.IsHex(target[i + 1]) || !HttpSyntax.IsHex(target[i + 2]))
                {
                    return ProtocolViolation.BadPercentEncoding;
                }

                if (target[i + 1] == (byte)'0' && target[i + 2] == (byte)'0')
                {
                    // %00 ends a string in C and in many file APIs: the application would open another file than the
                    // one inspected (CRS 920270 refuses it at paranoia level 1).
                    return ProtocolViolation.NulInTarget;
                }
            }
            else if (b <= 0x20 || b >= 0x7F)
            {
                return ProtocolViolation.BadTarget;
            }
        }

        if (target.IsEmpty)
        {
            return ProtocolViolation.BadTarget;
        }

        if (target[0] == (byte)'/' || (target.Length == 1 && target[0] == (byte)'*' && method.SequenceEqual("OPTIONS"u8)) || method.SequenceEqual("CONNECT"u8))
        {
            return null;
        }

        // absolute-form: the authority the detectors and the application see must be the Host header's.
        var scheme = target.IndexOf("://"u8);
        if (scheme <= 0)
        {
            return ProtocolViolation.BadTarget;
        }

        var authority = target[(scheme + 3)..];
        var end = authority.IndexOfAny("/?"u8);
        authority = end < 0 ? authority : authority[..end];
        if (authority.IsEmpty || authority.Contains((byte)'@'))
        {
            return ProtocolViolation.BadTarget;
        }

        _targetAuthority = Encoding.ASCII.GetString(authority);
        return null;
    }

    private ProtocolViolation? ContentLengthField(ReadOnlySpan<byte> value)
    {
        if (++_contentLengths > 1 || value.Contains((byte)','))
        {
            return ProtocolViolation.DuplicateContentLength;
        }

        // 1*DIGIT and nothing else: no sign, no hex, no inner space, at most 18 digits so that it cannot overflow.
        if (value.IsEmpty || value.Length > 18)
        {
            return ProtocolViolation.BadContentLength;
        }

        long length = 0;
        foreach (var b in value)
        {
            if (!char.IsAsciiDigit((char)b))
            {
                return ProtocolViolation.BadContentLength;
            }

            length = (length * 10) + (b - '0');
        }

        ContentLength = length;
        return null;
    }

    private ProtocolViolation? TransferEncodingField(ReadOnlySpan<byte> value)
    {
        if (++_transferEncodings > 1)
        {
            return ProtocolViolation.DuplicateTransferEncoding;
        }

        // Only "chunked" alone is accepted; "gzip, chunked" is valid HTTP this node does not decode (501), chunked
        // anywhere but last cannot be framed (400), and anything else ("xchunked", "\"chunked\"") is not a coding.
        var codings = 0;
        var chunkedAt = -1;
        var chunkedCount = 0;
        var allTokens = true;
        foreach (var range in value.Split((byte)','))
        {
            var coding = HttpSyntax.TrimWhitespace(value[range]);
            allTokens &= HttpSyntax.IsToken(coding);
            if (HttpSyntax.EqualsLower(coding, "chunked"u8))
            {
                chunkedAt = codings;
                chunkedCount++;
            }

            codings++;
        }

        if (codings == 1 && chunkedAt == 0)
        {
            _chunked = true;
            return null;
        }

        if (chunkedCount > 1)
        {
            return ProtocolViolation.BadTransferEncoding;
        }

        if (chunkedAt >= 0 && chunkedAt < codings - 1)
        {
            return ProtocolViolation.ChunkedNotFinal;
        }

        return chunkedAt == codings - 1 && allTokens ? ProtocolViolation.UnsupportedTransferCoding : ProtocolViolation.BadTransferEncoding;
    }

    private ProtocolViolation? HostField(ReadOnlySpan<byte> value)
    {
        if (++_hosts > 1)
        {
            return ProtocolViolation.DuplicateHost;
        }

        foreach (var b in value)
        {
            if (!HttpSyntax.IsHostChar(b))
            {
                return ProtocolViolation.BadHost;
            }
        }

        _host = Encoding.ASCII.GetString(value);
        return null;
    }

    private static bool IsFramingName(ReadOnlySpan<byte> name)
    {
        Span<byte> hyphenated = stackalloc byte[Math.Min(name.Length, 64)];
        if (name.Length > hyphenated.Length)
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var b = name[i] == (byte)'_' ? (byte)'-' : name[i];
            hyphenated[i] = (uint)(b - 'A') <= 'Z' - 'A' ? (byte)(b | 0x20) : b;
        }

        foreach (var framing in FramingNames)
        {
            if (hyphenated.SequenceEqual(framing))
            {
                return true;
            }
        }

        return false;
    }
}
