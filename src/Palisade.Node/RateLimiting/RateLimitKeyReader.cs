using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Palisade.Detection.Parsing;

namespace Palisade.Node.RateLimiting;

/// <summary>
/// Reads a rule's key from a request without allocating for the usual sizes. A key that is not there (no such
/// header, cookie, JSON field or claim, a body that is not JSON or does not parse, no bearer token, an empty
/// value) is missing, and the rule does not apply to that request. Keys longer than <see cref="MaxKeyLength"/>
/// are replaced by <c>#</c> and their SHA-256 in hex, which bounds the memory a key can hold.
/// </summary>
internal static class RateLimitKeyReader
{
    /// <summary>Longest key kept as is.</summary>
    public const int MaxKeyLength = 128;

    /// <summary>The buffer callers pass to <see cref="Read"/> must be at least this long.</summary>
    public const int BufferLength = 256;

    // A bearer token's payload is decoded only up to this size; larger tokens are no key.
    private const int MaxJwtPayloadBytes = 16 * 1024;

    private static readonly JsonReaderOptions JsonOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 64,
    };

    /// <summary>Writes the rule's key for the request into the buffer (at least <see cref="BufferLength"/>); its length, or -1 when missing.</summary>
    public static int Read(RateLimitKeySource source, in RateLimitRequest request, Span<char> buffer)
    {
        switch (source.Kind)
        {
            case RateLimitKeyKind.Ip:
                return request.ClientIp is not null && request.ClientIp.TryFormat(buffer, out var written) ? written : -1;
            case RateLimitKeyKind.Header:
                return Bound(FirstValue(request.Headers?[source.Name] ?? StringValues.Empty), buffer);
            case RateLimitKeyKind.Cookie:
                return Bound(Cookie(request.Headers?["Cookie"] ?? StringValues.Empty, source.Name), buffer);
            case RateLimitKeyKind.Json:
                var contentType = request.ContentType ?? request.Headers?["Content-Type"].ToString() ?? "";
                return !request.Body.IsEmpty && ContentTypes.IsJson(contentType)
                    ? TryReadJson(request.Body.Span, source.Segments, buffer)
                    : -1;
            case RateLimitKeyKind.Jwt:
                return TryReadJwtClaim(FirstValue(request.Headers?["Authorization"] ?? StringValues.Empty), source.Segments, buffer);
            default:
                return -1;
        }
    }

    /// <summary>
    /// The named field's value (string, number or boolean) by a dotted path, written into the buffer (hashed when
    /// long); its length, or -1 when missing. The last of duplicate names wins, as in most JSON parsers.
    /// </summary>
    public static int TryReadJson(ReadOnlySpan<byte> json, ReadOnlySpan<string> path, Span<char> buffer)
    {
        try
        {
            var reader = new Utf8JsonReader(json, JsonOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return -1;
            }

            foreach (var segment in path)
            {
                // The reader is on the StartObject of the object to search: keep a copy at the last value of that name.
                var found = false;
                var saved = default(Utf8JsonReader);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var match = reader.ValueTextEquals(segment);
                    reader.Read();
                    if (match)
                    {
                        found = true;
                        saved = reader;
                    }

                    reader.Skip();
                }

                if (!found)
                {
                    return -1;
                }

                reader = saved;
            }

            return CopyValue(ref reader, buffer);
        }
        catch (JsonException)
        {
            return -1;
        }
        catch (InvalidOperationException)
        {
            return -1;
        }
    }

    private static int CopyValue(ref Utf8JsonReader reader, Span<char> buffer)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var raw = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
                if (raw <= buffer.Length)
                {
                    // Unescaped UTF-16 is never longer than the escaped UTF-8 it came from.
                    return Bound(buffer[..reader.CopyString(buffer)], buffer);
                }

                return Bound(reader.GetString(), buffer);
            case JsonTokenType.Number:
            case JsonTokenType.True:
            case JsonTokenType.False:
                var bytes = reader.ValueSpan;
                return bytes.Length > buffer.Length
                    ? Bound(Encoding.UTF8.GetString(bytes), buffer)
                    : Bound(buffer[..Encoding.UTF8.GetChars(bytes, buffer)], buffer);
            default:
                return -1;
        }
    }

    // "Bearer <header>.<payload>.<signature>": the payload is base64url JSON, read without checking the signature.
    private static int TryReadJwtClaim(ReadOnlySpan<char> authorization, ReadOnlySpan<string> path, Span<char> buffer)
    {
        const string Scheme = "Bearer ";
        if (!authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return -1;
        }

        var token = authorization[Scheme.Length..].Trim();
        var first = token.IndexOf('.');
        if (first <= 0)
        {
            return -1;
        }

        var rest = token[(first + 1)..];
        var second = rest.IndexOf('.');
        if (second <= 0 || rest[(second + 1)..].Contains('.'))
        {
            return -1;
        }

        var payload = rest[..second];
        var size = Base64Url.GetMaxDecodedLength(payload.Length);
        if (size > MaxJwtPayloadBytes)
        {
            return -1;
        }

        byte[]? rented = null;
        var bytes = size <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(size));
        try
        {
            // The OperationStatus form: TryDecodeFromChars throws on characters outside the alphabet.
            return Base64Url.DecodeFromChars(payload, bytes, out _, out var written) == OperationStatus.Done
                ? TryReadJson(bytes[..written], path, buffer)
                : -1;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    // The first non-empty value of a header sent more than once.
    private static ReadOnlySpan<char> FirstValue(StringValues values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i].AsSpan().Trim();
            if (!value.IsEmpty)
            {
                return value;
            }
        }

        return default;
    }

    // The first cookie of that name in the Cookie header(s), quotes removed; names compare exactly (RFC 6265).
    private static ReadOnlySpan<char> Cookie(StringValues headers, string name)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i].AsSpan();
            while (!header.IsEmpty)
            {
                var semi = header.IndexOf(';');
                var pair = (semi < 0 ? header : header[..semi]).Trim();
                header = semi < 0 ? [] : header[(semi + 1)..];
                var eq = pair.IndexOf('=');
                if (eq <= 0 || !pair[..eq].Trim().SequenceEqual(name))
                {
                    continue;
                }

                var value = pair[(eq + 1)..].Trim();
                if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
                {
                    value = value[1..^1];
                }

                return value;
            }
        }

        return default;
    }

    // Copies the value into the buffer, or its hash when it is longer than MaxKeyLength; -1 for an empty value.
    private static int Bound(ReadOnlySpan<char> value, Span<char> buffer)
    {
        if (value.IsEmpty)
        {
            return -1;
        }

        if (value.Length <= MaxKeyLength)
        {
            value.CopyTo(buffer);
            return value.Length;
        }

        // '#' and 64 hex digits: a raw key of 65 characters starting with '#' collides with it no more often than SHA-256 does.
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        var utf8 = max <= 4096 ? stackalloc byte[4096] : new byte[max];
        var length = Encoding.UTF8.GetBytes(value, utf8);
        SHA256.HashData(utf8[..length], hash);
        buffer[0] = '#';
        Convert.TryToHexStringLower(hash, buffer[1..], out var written);
        return written + 1;
    }
}
