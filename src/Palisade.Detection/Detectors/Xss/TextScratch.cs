using System.Buffers;

namespace Palisade.Detection.Detectors.Xss;

/// <summary>
/// Scratch space for decoded text: a caller-provided stack buffer, and a pooled array only when a value does
/// not fit. One scratch serves one decoding at a time; <see cref="Dispose"/> returns the pooled array.
/// </summary>
internal ref struct TextScratch
{
    private readonly Span<char> _stack;
    private char[]? _rented;

    public TextScratch(Span<char> stack)
    {
        _stack = stack;
    }

    /// <summary>A buffer of at least <paramref name="length"/> characters (overwriting what it held).</summary>
    public Span<char> Get(int length)
    {
        if (length <= _stack.Length)
        {
            return _stack;
        }

        if (_rented is null || _rented.Length < length)
        {
            if (_rented is not null)
            {
                ArrayPool<char>.Shared.Return(_rented);
            }

            _rented = ArrayPool<char>.Shared.Rent(length);
        }

        return _rented;
    }

    /// <summary>The text with HTML character references decoded; the text itself when it holds none.</summary>
    public ReadOnlySpan<char> DecodeEntities(ReadOnlySpan<char> text)
    {
        if (!text.Contains('&'))
        {
            return text;
        }

        var buffer = Get(text.Length);
        return buffer[..HtmlEntityDecoder.Decode(text, buffer)];
    }

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<char>.Shared.Return(_rented);
            _rented = null;
        }
    }
}
