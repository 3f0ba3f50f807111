using System.Net;

namespace Palisade.Detection.Snapshots;

/// <summary>
/// What the engine inspects of one request: the raw request-target exactly as received, the header fields,
/// and the body bytes up to the inspection limit. The engine derives every point from these raw parts, so
/// what was inspected is what the application receives.
/// </summary>
public sealed class RequestSnapshot
{
    private string? _decodedPath;

    public RequestSnapshot(string method, string rawTarget, IReadOnlyList<HttpHeader> headers)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(rawTarget);
        ArgumentNullException.ThrowIfNull(headers);
        Method = method;
        RawTarget = rawTarget;
        Headers = headers;
    }

    /// <summary>The request method as received (<c>GET</c>, <c>POST</c>, ...).</summary>
    public string Method { get; }

    /// <summary>The request-target byte for byte: path and query, still percent-encoded.</summary>
    public string RawTarget { get; }

    /// <summary>Every header field in the order received; a repeated field appears once per value.</summary>
    public IReadOnlyList<HttpHeader> Headers { get; }

    /// <summary>The body bytes up to the inspection limit.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>True when the body was longer than the inspection limit and only its prefix is in <see cref="Body"/>.</summary>
    public bool BodyTruncated { get; init; }

    /// <summary>The client address the node attributes the request to (after trusted proxies).</summary>
    public IPAddress? RemoteIp { get; init; }

    /// <summary>The raw path: the request-target up to the first <c>?</c>.</summary>
    public ReadOnlySpan<char> RawPath
    {
        get
        {
            var q = RawTarget.IndexOf('?', StringComparison.Ordinal);
            return q < 0 ? RawTarget : RawTarget.AsSpan(0, q);
        }
    }

    /// <summary>The raw query string without the leading <c>?</c>; empty when there is none.</summary>
    public ReadOnlySpan<char> RawQuery
    {
        get
        {
            var q = RawTarget.IndexOf('?', StringComparison.Ordinal);
            return q < 0 ? [] : RawTarget.AsSpan(q + 1);
        }
    }

    /// <summary>The path with percent-escapes decoded once, for display and routing.</summary>
    public string DecodedPath => _decodedPath ??= Parsing.PercentDecoder.DecodeOrSelf(RawPath, plusAsSpace: false);

    /// <summary>The value of the first header with this name (case-insensitive), or null.</summary>
    public string? GetHeader(string name)
    {
        foreach (var header in Headers)
        {
            if (string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }
}
