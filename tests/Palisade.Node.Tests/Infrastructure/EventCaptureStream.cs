using System.Text;
using System.Text.Json;

namespace Palisade.Node.Tests.Infrastructure;

/// <summary>A stream that collects the node's attack events (JSON lines) and lets a test wait for one.</summary>
public sealed class EventCaptureStream : Stream
{
    private readonly List<byte> _bytes = [];
    private readonly SemaphoreSlim _written = new(0);

    public IReadOnlyList<JsonElement> Events
    {
        get
        {
            string text;
            lock (_bytes)
            {
                text = Encoding.UTF8.GetString(_bytes.ToArray());
            }

            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        }
    }

    public string Text
    {
        get
        {
            lock (_bytes)
            {
                return Encoding.UTF8.GetString(_bytes.ToArray());
            }
        }
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <summary>Waits until an event for this request id has been written.</summary>
    public async Task<JsonElement> WaitForAsync(string requestId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var found = Events.FirstOrDefault(e => e.GetProperty("request_id").GetString() == requestId);
            if (found.ValueKind != JsonValueKind.Undefined)
            {
                return found;
            }

            await _written.WaitAsync(timeout.Token);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_bytes)
        {
            _bytes.AddRange(buffer);
        }

        _written.Release();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _written.Dispose();
        }

        base.Dispose(disposing);
    }
}
