using System.Buffers;

namespace Palisade.Node.FrontDoor;

/// <summary>
/// Follows the HTTP/1.x messages of one connection through their bytes and says how many of them may go on to the
/// HTTP parser: a request head only once all of it is checked, a chunk-size line once it is complete and checked,
/// body bytes as they come. At the first violation it stops releasing, so nothing after it is ever parsed as a
/// request (no smuggled second request). After a 101 to an Upgrade request, everything passes as tunnel bytes.
/// Pure: no I/O, driven by <see cref="FrontDoorReader"/> and by the tests and fuzzers directly.
/// </summary>
public sealed class Http1StreamValidator
{
    private enum State
    {
        Head,
        FixedBody,
        ChunkLine,
        ChunkData,
        Trailers,
        AwaitUpgrade,
        Tunnel,
        Failed,
    }

    private readonly FrontDoorLimits _limits;
    private readonly Func<bool> _switchedProtocols;
    private readonly RequestHeadValidator _head;
    private State _state = State.Head;
    private long _remaining;

    // Within the pending unit (a head, a chunk line or a trailer section): where the current line starts and how
    // far it was searched for its LF, so a head arriving a byte at a time is still scanned once.
    private int _lineStart;
    private int _searched;
    private bool _requestLineDone;
    private int _fieldsStart;

    /// <param name="limits">The sizes to enforce.</param>
    /// <param name="switchedProtocols">True once the application answered the Upgrade request with 101.</param>
    public Http1StreamValidator(FrontDoorLimits limits, Func<bool> switchedProtocols)
    {
        _limits = limits;
        _switchedProtocols = switchedProtocols;
        _head = new RequestHeadValidator(limits);
    }

    /// <summary>The first violation, after which nothing more is released.</summary>
    public ProtocolViolation? Violation { get; private set; }

    /// <summary>True when the violation is in a request head: no byte of that request was released.</summary>
    public bool ViolationInHead { get; private set; }

    /// <summary>True while the next bytes belong to a request head (nothing of it released yet).</summary>
    public bool ExpectingHead => _state == State.Head;

    /// <summary>The head being received took longer than allowed: the connection ends with 408.</summary>
    public void HeadTimedOut() => Fail(ProtocolViolation.RequestHeadersTimeout, inHead: true);

    /// <summary>Requests whose head was released.</summary>
    public long Requests { get; private set; }

    /// <summary>
    /// Looks at the bytes not yet released (the same start every call until some are released) and returns how many
    /// of them, from the start, may be released now.
    /// </summary>
    public long Advance(ReadOnlySequence<byte> pending)
    {
        long released = 0;
        while (true)
        {
            var rest = pending.Slice(released);
            var before = _state;
            long step;
            switch (_state)
            {
                case State.Head:
                    step = HeadStep(rest);
                    break;
                case State.FixedBody:
                    step = Math.Min(_remaining, rest.Length);
                    _remaining -= step;
                    if (_remaining == 0)
                    {
                        _state = State.Head;
                    }

                    break;
                case State.ChunkData:
                    step = ChunkDataStep(rest);
                    break;
                case State.ChunkLine:
                    step = ChunkLineStep(rest);
                    break;
                case State.Trailers:
                    step = TrailersStep(rest);
                    break;
                case State.AwaitUpgrade:
                    if (rest.IsEmpty)
                    {
                        return released;
                    }

                    _state = _switchedProtocols() ? State.Tunnel : State.Head;
                    continue;
                case State.Tunnel:
                    return pending.Length;
                default:
                    return released;
            }

            released += step;
            if ((step == 0 && _state == before) || _state == State.Failed)
            {
                return released;
            }
        }
    }

    private long HeadStep(ReadOnlySequence<byte> rest)
    {
        while (true)
        {
            if (!TryTakeLine(rest, out var lineEnd, out var line, out var tooLong))
            {
                if (tooLong)
                {
                    return Fail(_requestLineDone ? ProtocolViolation.HeadersTooLarge : ProtocolViolation.RequestLineTooLong, inHead: true);
                }

                return 0;
            }

            ProtocolViolation? violation;
            if (!_requestLineDone)
            {
                if (line.IsEmpty && _lineStart == 0)
                {
                    // An empty line before the request line (a client's stray CRLF after a body) is not a request.
                    violation = ProtocolViolation.BadRequestLine;
                }
                else
                {
                    violation = _head.RequestLine(line);
                }

                _requestLineDone = true;
                _fieldsStart = lineEnd;
            }
            else if (line.IsEmpty)
            {
                violation = _head.Complete();
                if (violation is null)
                {
                    var length = lineEnd;
                    StartBody();
                    return length;
                }
            }
            else
            {
                violation = _head.FieldLine(line);
            }

            if (violation is { } bad)
            {
                return Fail(bad, inHead: true);
            }

            _lineStart = _searched = lineEnd;
        }
    }

    private void StartBody()
    {
        Requests++;
        ResetUnit();
        switch (_head.Framing)
        {
            case BodyFraming.Chunked:
                _state = State.ChunkLine;
                break;
            case BodyFraming.ContentLength when _head.ContentLength > 0:
                _state = State.FixedBody;
                _remaining = _head.ContentLength;
                break;
            default:
                _state = _head.IsUpgrade ? State.AwaitUpgrade : State.Head;
                break;
        }

        _head.Reset();
    }

    private long ChunkLineStep(ReadOnlySequence<byte> rest)
    {
        if (!TryTakeLine(rest, out var lineEnd, out var line, out var tooLong))
        {
            return tooLong ? Fail(ProtocolViolation.ChunkLineTooLong, inHead: false) : 0;
        }

        if (ChunkLine(line, out var size) is { } bad)
        {
            return Fail(bad, inHead: false);
        }

        if (size == 0)
        {
            // The last chunk is released with the trailer section, once that is checked, so that a bad trailer is
            // found while the body is still being read.
            _state = State.Trailers;
            _lineStart = _searched = lineEnd;
            return 0;
        }

        ResetUnit();
        _state = State.ChunkData;
        _remaining = size;
        return lineEnd;
    }

    // Chunk data goes on as it comes, but for its last byte, which waits for the CRLF after it: a bad terminator is
    // then found while the body is still being read, not after the request was handled.
    private long ChunkDataStep(ReadOnlySequence<byte> rest)
    {
        if (_remaining > 1)
        {
            var step = Math.Min(_remaining - 1, rest.Length);
            _remaining -= step;
            return step;
        }

        if (rest.Length < 3)
        {
            if (rest.Length == 2 && rest.Slice(1).FirstSpan[0] != (byte)'\r')
            {
                return Fail(ProtocolViolation.BadChunkTerminator, inHead: false);
            }

            return 0;
        }

        Span<byte> tail = stackalloc byte[3];
        rest.Slice(0, 3).CopyTo(tail);
        if (tail[1] != (byte)'\r' || tail[2] != (byte)'\n')
        {
            return Fail(tail[1] == (byte)'\n' ? ProtocolViolation.BareLineFeed : ProtocolViolation.BadChunkTerminator, inHead: false);
        }

        _remaining = 0;
        _state = State.ChunkLine;
        return 3;
    }

    // The last chunk and the trailer section are released whole once its empty line arrives; framing, routing and
    // credential fields are refused there (a lenient server would merge them into the headers after inspection).
    private long TrailersStep(ReadOnlySequence<byte> rest)
    {
        while (true)
        {
            if (!TryTakeLine(rest, out var lineEnd, out var line, out var tooLong))
            {
                return tooLong ? Fail(ProtocolViolation.TrailersTooLarge, inHead: false) : 0;
            }

            if (line.IsEmpty)
            {
                ResetUnit();
                _state = State.Head;
                return lineEnd;
            }

            if (RequestHeadValidator.CheckField(line, out var name, out _) is { } bad)
            {
                return Fail(bad, inHead: false);
            }

            if (TrailerRules.IsForbidden(name))
            {
                return Fail(ProtocolViolation.ForbiddenTrailer, inHead: false);
            }

            _lineStart = _searched = lineEnd;
        }
    }

    // Finds the next LF from where the last search stopped. The line must end in CRLF; a CR elsewhere is a bare CR.
    private bool TryTakeLine(ReadOnlySequence<byte> rest, out int lineEnd, out ReadOnlySpan<byte> line, out bool tooLong)
    {
        if (rest.IsSingleSegment)
        {
            // Nearly every head fits in one buffer segment: lines are then plain spans.
            return TryTakeLine(rest.FirstSpan, out lineEnd, out line, out tooLong);
        }

        line = default;
        lineEnd = 0;
        tooLong = false;
        var limit = LineLimit();
        var unsearched = rest.Slice(_searched);
        var found = unsearched.PositionOf((byte)'\n');
        if (found is null)
        {
            _searched = (int)Math.Min(rest.Length, int.MaxValue);
            tooLong = rest.Length - _lineStart > limit + 1;
            return false;
        }

        var lf = _searched + (int)unsearched.Slice(0, found.Value).Length;
        if (lf - _lineStart > limit + 1)
        {
            tooLong = true;
            return false;
        }

        lineEnd = lf + 1;
        var bytes = rest.Slice(_lineStart, lf - _lineStart);
        line = bytes.IsSingleSegment ? bytes.FirstSpan : bytes.ToArray();
        return TrimLineEnd(ref line);
    }

    private bool TryTakeLine(ReadOnlySpan<byte> rest, out int lineEnd, out ReadOnlySpan<byte> line, out bool tooLong)
    {
        line = default;
        lineEnd = 0;
        tooLong = false;
        var limit = LineLimit();
        var found = rest[_searched..].IndexOf((byte)'\n');
        if (found < 0)
        {
            _searched = rest.Length;
            tooLong = rest.Length - _lineStart > limit + 1;
            return false;
        }

        var lf = _searched + found;
        if (lf - _lineStart > limit + 1)
        {
            tooLong = true;
            return false;
        }

        lineEnd = lf + 1;
        line = rest[_lineStart..lf];
        return TrimLineEnd(ref line);
    }

    // A line must end in CRLF (a lone LF is a bare LF) and hold no other CR (a bare CR); the CR is cut off.
    private bool TrimLineEnd(ref ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty || line[^1] != (byte)'\r')
        {
            Fail(ProtocolViolation.BareLineFeed, inHead: _state == State.Head);
            return false;
        }

        line = line[..^1];
        if (line.Contains((byte)'\r'))
        {
            Fail(ProtocolViolation.BareCarriageReturn, inHead: _state == State.Head);
            return false;
        }

        return true;
    }

    private int LineLimit() => _state switch
    {
        State.Head when !_requestLineDone => _limits.MaxRequestLineBytes,
        State.Head => _limits.MaxHeaderBytes - (_lineStart - _fieldsStart),
        State.Trailers => _limits.MaxTrailerBytes - _lineStart,
        _ => _limits.MaxChunkLineBytes,
    };

    // chunk-size [ chunk-ext ]: 1*HEXDIG without sign, prefix or spaces, then ;name[=token|quoted-string] pairs.
    private static ProtocolViolation? ChunkLine(ReadOnlySpan<byte> line, out long size)
    {
        size = 0;
        var digits = 0;
        while (digits < line.Length && HttpSyntax.IsHex(line[digits]))
        {
            if (digits == 15)
            {
                return ProtocolViolation.BadChunkSize;
            }

            size = (size << 4) | (uint)HttpSyntax.HexValue(line[digits]);
            digits++;
        }

        if (digits == 0)
        {
            return ProtocolViolation.BadChunkSize;
        }

        var extensions = line[digits..];
        if (extensions.IsEmpty)
        {
            return null;
        }

        return extensions[0] == (byte)';' ? ChunkExtensions.Check(extensions) : ProtocolViolation.BadChunkSize;
    }

    private long Fail(ProtocolViolation violation, bool inHead)
    {
        if (_state != State.Failed)
        {
            Violation = violation;
            ViolationInHead = inHead;
            _state = State.Failed;
        }

        return 0;
    }

    private void ResetUnit()
    {
        _lineStart = _searched = _fieldsStart = 0;
        _requestLineDone = false;
    }
}
