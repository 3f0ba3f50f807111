namespace Palisade.Node.Lifecycle;

/// <summary>
/// The bytes all requests together may hold in inspection buffers at once. Buffers are what grows fastest when
/// many bodies arrive together (each holds up to the inspection limit), faster than the memory guard's sampling
/// can see: a buffer is only grown after its bytes are reserved here, and a request that cannot reserve them is
/// answered 503 before the rest of its body is read. Peak memory is then at most this budget plus the node's
/// baseline, however many uploads arrive.
/// </summary>
public sealed class BodyBufferBudget(long capacity)
{
    private long _reserved;

    /// <summary>The bytes the budget allows in total.</summary>
    public long Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>The bytes reserved now.</summary>
    public long Reserved => Interlocked.Read(ref _reserved);

    /// <summary>
    /// The budget for a node under <paramref name="memoryLimit"/>: a quarter of it. The rest is the node's own, and
    /// what every open connection holds besides (Kestrel's request buffer, the copy buffer to the application).
    /// </summary>
    public static BodyBufferBudget For(long memoryLimit) => new(Math.Max(memoryLimit / 4, 1));

    /// <summary>Reserves <paramref name="bytes"/>, or returns false (and reserves nothing) when they do not fit.</summary>
    public bool TryReserve(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        var current = Interlocked.Read(ref _reserved);
        while (true)
        {
            if (current + bytes > Capacity)
            {
                return false;
            }

            var seen = Interlocked.CompareExchange(ref _reserved, current + bytes, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }
    }

    public void Release(long bytes) => Interlocked.Add(ref _reserved, -bytes);
}
