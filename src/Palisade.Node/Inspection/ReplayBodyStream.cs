namespace Palisade.Node.Inspection;

/// <summary>
/// The request body as the application receives it after inspection: the buffered bytes first, then,
/// when the body was longer than the inspection limit, the rest straight from the client.
/// </summary>
internal sealed class ReplayBodyStream : Stream
{
    private readonly ReadOnlyMemory<byte> _buffered;
    private readonly Stream? _rest;
    private int _position;

    public ReplayBodyStream(ReadOnlyMemory<byte> buffered, Stream? rest)
    {
        _buffered = buffered;
        _rest = rest;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position < _buffered.Length)
        {
            return CopyBuffered(buffer);
        }

        return _rest?.Read(buffer) ?? 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < _buffered.Length)
        {
            return ValueTask.FromResult(CopyBuffered(buffer.Span));
        }

        return _rest?.ReadAsync(buffer, cancellationToken) ?? ValueTask.FromResult(0);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int CopyBuffered(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, _buffered.Length - _position);
        _buffered.Span.Slice(_position, count).CopyTo(destination);
        _position += count;
        return count;
    }
}
