using System.IO.Pipelines;

namespace Palisade.Node.FrontDoor;

/// <summary>
/// The connection's output as Kestrel writes it, except that Kestrel's completion is held back: after Kestrel has
/// answered every request released to it, the front door may still write its own rejection, then completes.
/// </summary>
internal sealed class DeferredCompletionWriter : PipeWriter
{
    private readonly PipeWriter _inner;

    public DeferredCompletionWriter(PipeWriter inner) => _inner = inner;

    public Exception? CompletionError { get; private set; }

    public bool Completed { get; private set; }

    public override bool CanGetUnflushedBytes => _inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => _inner.UnflushedBytes;

    public override void Advance(int bytes) => _inner.Advance(bytes);

    public override Memory<byte> GetMemory(int sizeHint = 0) => _inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _inner.GetSpan(sizeHint);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => _inner.FlushAsync(cancellationToken);

    public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) => _inner.WriteAsync(source, cancellationToken);

    public override void CancelPendingFlush() => _inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        Completed = true;
        CompletionError ??= exception;
    }
}
