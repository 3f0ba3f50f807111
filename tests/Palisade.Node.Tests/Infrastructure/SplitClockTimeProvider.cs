namespace Palisade.Node.Tests.Infrastructure;

/// <summary>
/// A clock the test moves by hand whose two clocks can be split. The monotonic timestamp and the wall clock move together with
/// <see cref="Advance"/>, and apart with <see cref="StepWallClock"/> and <see cref="AdvanceMonotonicOnly"/>, so a test
/// can show that code timing with <see cref="TimeProvider.GetTimestamp"/> ignores wall-clock steps.
/// </summary>
public sealed class SplitClockTimeProvider : TimeProvider
{
    private long _timestamp = 1_000_000;
    private DateTimeOffset _utcNow = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _timestamp);

    public override DateTimeOffset GetUtcNow() => _utcNow;

    /// <summary>Time passes: both clocks move.</summary>
    public void Advance(TimeSpan by)
    {
        Interlocked.Add(ref _timestamp, by.Ticks);
        _utcNow += by;
    }

    /// <summary>The wall clock is set (NTP step, operator, VM resume): the monotonic clock does not move.</summary>
    public void StepWallClock(TimeSpan by) => _utcNow += by;

    /// <summary>Monotonic time passes while the wall clock is held (stepped back by as much as passed).</summary>
    public void AdvanceMonotonicOnly(TimeSpan by) => Interlocked.Add(ref _timestamp, by.Ticks);
}
