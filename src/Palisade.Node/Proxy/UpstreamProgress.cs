using System.Diagnostics;
using System.Net;

namespace Palisade.Node.Proxy;

/// <summary>
/// The application's response body, wrapped to note when a read from it last completed. YARP reports an
/// application gone silent mid-body and a client gone away in the same way (the copy was canceled); how long the
/// application has been silent tells the two apart.
/// </summary>
public sealed class UpstreamProgress : HttpContent
{
    private readonly HttpContent _inner;
    private long _lastRead = Stopwatch.GetTimestamp();

    public UpstreamProgress(HttpContent inner)
    {
        _inner = inner;
    }

    /// <summary>How long since the application last delivered response bytes (or its headers).</summary>
    public TimeSpan Silence => Stopwatch.GetElapsedTime(Volatile.Read(ref _lastRead));

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new ProgressStream(await _inner.ReadAsStreamAsync(cancellationToken), this);

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => _inner.CopyToAsync(stream, context);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Touch() => Volatile.Write(ref _lastRead, Stopwatch.GetTimestamp());

    private sealed class ProgressStream(Stream inner, UpstreamProgress progress) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            progress.Touch();
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            progress.Touch();
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
