using System.Net;
using Microsoft.AspNetCore.Http;

namespace Palisade.Node.RateLimiting;

/// <summary>
/// What the rate limiter needs of a request, passed by reference to <see cref="RateLimiter.Check"/> and
/// <see cref="RateLimiter.ObserveResponse"/> (pass the same values to both). Headers are looked up by name in
/// <see cref="Headers"/>; cookies are read from its <c>Cookie</c> header(s); <c>json:</c> keys read
/// <see cref="Body"/> (the buffered, inspected body) when <see cref="ContentType"/> is JSON.
/// </summary>
/// <param name="Method">The request method.</param>
/// <param name="Host">The <c>Host</c> (HTTP/1.1) or <c>:authority</c> (HTTP/2), with its port if it had one.</param>
/// <param name="NormalizedPath">The normalized path rules are matched against (no query).</param>
/// <param name="ClientIp">The client address after trusted proxies; null when unknown (no rule keyed by <c>ip</c> applies then).</param>
/// <param name="Headers">The request headers (<c>HttpRequest.Headers</c>).</param>
public readonly record struct RateLimitRequest(string Method, string Host, string NormalizedPath, IPAddress? ClientIp, IHeaderDictionary Headers)
{
    /// <summary>The buffered request body, or as much of it as was buffered; empty when there is none.</summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>
    /// The path's literal reading when it differs from <see cref="NormalizedPath"/> (an ambiguous spelling, see
    /// <c>RulePath</c>); a rule applies when either reading falls under it.
    /// </summary>
    public string? LiteralPath { get; init; }

    /// <summary>The path as sent, when it differs from <see cref="NormalizedPath"/>; a rule applies under any reading.</summary>
    public string? RawPath { get; init; }

    /// <summary>The body's media type; null takes the <c>Content-Type</c> header.</summary>
    public string? ContentType { get; init; }
}
