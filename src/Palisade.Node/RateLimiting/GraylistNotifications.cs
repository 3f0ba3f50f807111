using System.Collections.Concurrent;
using System.Net;

namespace Palisade.Node.RateLimiting;

/// <summary>
/// Remembers, for one graylist rule, which source IPs were handed to the graylist callback and until when, so a
/// client that keeps sending while graylisted causes one callback per graylisting period, not one per request (the
/// IP lists rebuild on every change). Bounded: past <see cref="MaxAddresses"/> expired addresses are dropped, and
/// if all are live the memory is cleared (the worst that follows is a repeated callback).
/// </summary>
internal sealed class GraylistNotifications(TimeProvider time, TimeSpan duration)
{
    public const int MaxAddresses = 10_000;

    private readonly ConcurrentDictionary<string, long> _until = new(StringComparer.Ordinal);
    private readonly long _durationTicks = (long)Math.Min(long.MaxValue / 4, duration.TotalSeconds * time.TimestampFrequency);

    /// <summary>True when the address was not handed over within the last graylisting period; it is recorded as handed over now.</summary>
    public bool ShouldNotify(IPAddress ip)
    {
        Span<char> text = stackalloc char[64];
        if (!ip.TryFormat(text, out var length))
        {
            return true;
        }

        var key = text[..length];
        var lookup = _until.GetAlternateLookup<ReadOnlySpan<char>>();
        var now = time.GetTimestamp();
        if (lookup.TryGetValue(key, out var until) && until > now)
        {
            return false;
        }

        if (_until.Count >= MaxAddresses)
        {
            Trim(now);
        }

        lookup[key] = now + _durationTicks;
        return true;
    }

    private void Trim(long now)
    {
        foreach (var pair in _until)
        {
            if (pair.Value <= now)
            {
                _until.TryRemove(pair);
            }
        }

        if (_until.Count >= MaxAddresses)
        {
            _until.Clear();
        }
    }
}
