using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Palisade.Node.Inspection;

/// <summary>
/// Reads the start of a request body, up to the inspection limit, into a pooled buffer before anything is
/// forwarded. Afterwards the request body is replaced by a stream that replays those bytes and continues
/// with whatever the client still sends, so the application receives the complete body byte for byte.
/// </summary>
internal sealed class RequestBodyBuffer : IDisposable
{
    private const int InitialSize = 16 * 1024;

    private byte[] _buffer;
    private int _length;
    private readonly int _limit;

    private RequestBodyBuffer(byte[] buffer, int limit)
    {
        _buffer = buffer;
        _limit = limit;
    }

    /// <summary>The bytes the engine inspects: the whole body, or its first <c>limit</c> bytes.</summary>
    public ReadOnlyMemory<byte> Inspected => _buffer.AsMemory(0, Math.Min(_length, _limit));

    /// <summary>True when the body is longer than the limit.</summary>
    public bool Truncated => _length > _limit;

    /// <summary>Reads up to <paramref name="limit"/> bytes (plus one, to learn whether there is more). Null when the request has no body.</summary>
    public static async ValueTask<RequestBodyBuffer?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var detection = request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>();
        var contentLength = request.ContentLength;
        if (detection is { CanHaveBody: false } || contentLength == 0)
        {
            return null;
        }

        var cap = (int)Math.Min(limit, Array.MaxLength - 1);

        // With a Content-Length within the limit, exactly that many bytes come (Kestrel enforces it): read
        // them and stop. Otherwise read one byte past the limit to learn whether the body is longer.
        var want = contentLength is { } known && known <= cap ? (int)known : cap + 1;
        var initial = contentLength.HasValue ? want : Math.Min(InitialSize, want);
        var body = new RequestBodyBuffer(ArrayPool<byte>.Shared.Rent(Math.Max(initial, 1)), cap);
        try
        {
            await body.FillAsync(request.Body, want, cancellationToken);
            if (body._length == 0)
            {
                body.Dispose();
                return null;
            }

            return body;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    /// <summary>The body stream the application reads from: the buffered bytes, then the rest from the client.</summary>
    public Stream CreateReplayStream(Stream remainder) =>
        new ReplayBodyStream(_buffer.AsMemory(0, _length), Truncated ? remainder : null);

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask FillAsync(Stream source, int want, CancellationToken cancellationToken)
    {
        while (_length < want)
        {
            if (_length == _buffer.Length)
            {
                Grow(Math.Min(want, _buffer.Length * 2));
            }

            var read = await source.ReadAsync(_buffer.AsMemory(_length, Math.Min(_buffer.Length, want) - _length), cancellationToken);
            if (read == 0)
            {
                return;
            }

            _length += read;
        }
    }

    private void Grow(int size)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
