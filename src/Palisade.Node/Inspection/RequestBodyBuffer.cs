using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Palisade.Node.Lifecycle;

namespace Palisade.Node.Inspection;

/// <summary>
/// Reads the start of a request body, up to the inspection limit, into a pooled buffer before anything is
/// forwarded. Afterwards the request body is replaced by a stream that replays those bytes and continues
/// with whatever the client still sends, so the application receives the complete body byte for byte. Every byte
/// of the buffer, and the memory its inspection will take, is reserved in the node's <see cref="BodyBufferBudget"/>
/// before it is rented, and given back on dispose.
/// </summary>
internal sealed class RequestBodyBuffer : IDisposable
{
    private const int InitialSize = 16 * 1024;

    // What inspecting a buffered byte may cost in memory at most while the request is in flight: the byte itself, the
    // body as text (two bytes a character), and the decoded views the engine's budget allows (four characters a
    // byte of the request, two bytes each). The budget is reserved for all of it.
    private const int InspectionFootprint = 12;

    // Its own pool, few arrays a size: the shared pool keeps dozens of megabyte-sized arrays per core after a burst
    // of uploads, memory the node could never give back (and the memory guard would see as in use for good).
    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(maxArrayLength: 32 * 1024 * 1024, maxArraysPerBucket: 8);

    private readonly int _limit;
    private readonly BodyBufferBudget? _budget;
    private byte[] _buffer = [];
    private int _length;
    private long _reserved;

    private RequestBodyBuffer(int limit, BodyBufferBudget? budget)
    {
        _limit = limit;
        _budget = budget;
    }

    /// <summary>The bytes the engine inspects: the whole body, or its first <c>limit</c> bytes.</summary>
    public ReadOnlyMemory<byte> Inspected => _buffer.AsMemory(0, Math.Min(_length, _limit));

    /// <summary>True when the body is longer than the limit.</summary>
    public bool Truncated => _length > _limit;

    /// <summary>Reads up to <paramref name="limit"/> bytes (plus one, to learn whether there is more). Null when the request has no body.</summary>
    /// <exception cref="BodyBufferBudgetExceededException">The budget has no room for the buffer.</exception>
    public static async ValueTask<RequestBodyBuffer?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken, BodyBufferBudget? budget = null)
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
        var body = new RequestBodyBuffer(cap, budget);
        try
        {
            body.Grow(Math.Max(initial, 1));
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
            Pool.Return(buffer);
        }

        _budget?.Release(Interlocked.Exchange(ref _reserved, 0));
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
        // While the bytes are copied both buffers are held: reserve the new one whole, release the old one after.
        var reservation = (long)size * InspectionFootprint;
        if (_budget is not null && !_budget.TryReserve(reservation))
        {
            throw new BodyBufferBudgetExceededException();
        }

        _reserved += reservation;
        var bigger = Pool.Rent(size);
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        if (_buffer.Length > 0)
        {
            Pool.Return(_buffer);
            _budget?.Release(_reserved - reservation);
            _reserved = reservation;
        }

        _buffer = bigger;
    }
}
