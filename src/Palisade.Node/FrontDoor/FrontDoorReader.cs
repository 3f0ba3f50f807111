using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;

namespace Palisade.Node.FrontDoor;

/// <summary>
/// The connection's input as Kestrel reads it: the same buffers, cut off where <see cref="Http1StreamValidator"/>
/// has not yet released them. No copy is made; a head is simply not shown until all of it is checked. At a
/// violation the input ends there (Kestrel sees the connection's end), so nothing after it is parsed.
/// </summary>
internal sealed class FrontDoorReader : PipeReader
{
    private readonly PipeReader _inner;
    private readonly Http1StreamValidator _validator;

    // Absolute offsets in the connection's input: the start of the inner buffer, the end of what was released, and
    // how far Kestrel has examined (it must not be woken again until more than that is released).
    private long _start;
    private long _released;
    private long _examined;
    private ReadOnlySequence<byte> _buffer;

    // Kestrel's own header timeout never starts: it sees no byte of a head until all of it is checked. So the
    // front door times heads itself, from the first byte of one.
    private readonly TimeSpan _headTimeout;
    private long _headStartedAt;
    private volatile bool _headTimerFired;

    public FrontDoorReader(PipeReader inner, Http1StreamValidator validator, TimeSpan headTimeout)
    {
        _inner = inner;
        _validator = validator;
        _headTimeout = headTimeout;
    }

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        // Most reads find their bytes already there: no state machine for them.
        var pending = _inner.ReadAsync(cancellationToken);
        if (!pending.IsCompletedSuccessfully)
        {
            return ReadSlowAsync(pending, cancellationToken);
        }

        if (Release(pending.Result, out var released))
        {
            return new ValueTask<ReadResult>(released);
        }

        return ReadSlowAsync(_inner.ReadAsync(cancellationToken), cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> ReadSlowAsync(ValueTask<ReadResult> pending, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result;
            if (_headStartedAt != 0 && _validator.Violation is null)
            {
                // Part of a head is waiting: the read may last only what is left of the head's time.
                var left = _headTimeout - TimeSpan.FromMilliseconds(Environment.TickCount64 - _headStartedAt);
                using var timer = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero);
                await using (timer.Token.UnsafeRegister(static state => ((FrontDoorReader)state!).FireHeadTimer(), this))
                {
                    result = await pending;
                }

                if (result.IsCanceled && _headTimerFired)
                {
                    _headTimerFired = false;
                    _validator.HeadTimedOut();
                    result = new ReadResult(result.Buffer, isCanceled: false, result.IsCompleted);
                }
            }
            else
            {
                result = await pending;
            }

            if (Release(result, out var released))
            {
                return released;
            }

            pending = _inner.ReadAsync(cancellationToken);
        }
    }

    private void FireHeadTimer()
    {
        _headTimerFired = true;
        _inner.CancelPendingRead();
    }

    public override bool TryRead(out ReadResult result)
    {
        while (_inner.TryRead(out var inner))
        {
            if (Release(inner, out result))
            {
                return true;
            }
        }

        result = default;
        return false;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        var consumedLength = _buffer.Slice(0, consumed).Length;
        _examined = Math.Max(_examined, _start + _buffer.Slice(0, examined).Length);
        _start += consumedLength;
        _buffer = default;
        _inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => _inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => _inner.Complete(exception);

    // Validates what arrived since the last call and decides whether Kestrel has something new to see.
    private bool Release(ReadResult inner, out ReadResult result)
    {
        var buffer = inner.Buffer;
        var end = _start + buffer.Length;
        if (_validator.Violation is null && _released < end)
        {
            _released += _validator.Advance(buffer.Slice(_released - _start));
        }

        // A head is under way from its first byte until it is released.
        _headStartedAt = _validator.ExpectingHead && _released < end ? (_headStartedAt == 0 ? Environment.TickCount64 : _headStartedAt) : 0;

        var visible = buffer.Slice(0, _released - _start);
        if (_validator.Violation is { } violation && !_validator.ViolationInHead && _released <= _examined)
        {
            // In a body the request is already being handled: its body read fails, and the handler answers 400.
            // (An end of input would make Kestrel drop the connection without an answer.)
            throw new BadHttpRequestException("the request body's framing is invalid: " + violation.Code(), StatusCodes.Status400BadRequest);
        }

        // A violation in a head ends the input where the last good message ended; one in a body never does (the
        // body read fails instead, above), so Kestrel's body reader never sees a premature end and drops the
        // connection unanswered.
        var ended = (_validator.Violation is not null && _validator.ViolationInHead) || (inner.IsCompleted && _released == end);
        if (_released > _examined || ended || inner.IsCanceled)
        {
            _buffer = visible;
            result = new ReadResult(visible, inner.IsCanceled, ended || inner.IsCompleted);
            return true;
        }

        if (inner.IsCompleted)
        {
            // The peer closed in the middle of a head or chunk line: that partial message is never shown.
            _buffer = visible;
            result = new ReadResult(visible, isCanceled: false, isCompleted: true);
            return true;
        }

        // Nothing new to release: wait for more bytes.
        _inner.AdvanceTo(buffer.Start, buffer.End);
        result = default;
        return false;
    }
}
