using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Node.Lifecycle;
using Palisade.Node.Metrics;

namespace Palisade.Node.Tests.Lifecycle;

public sealed class MemoryGuardTests
{
    private const long Limit = 1000;

    [Theory]
    [InlineData(false, 0, 0, false)]
    [InlineData(false, 849, 100, false)]
    [InlineData(false, 850, 0, true)]
    [InlineData(false, 2000, 100, true)]
    [InlineData(true, 800, 100, true)]
    [InlineData(true, 750, 100, true)]
    [InlineData(true, 749, 100, false)]
    [InlineData(true, 950, 0, false)]
    public void NextState_ShedsFrom85PercentAndResumesBelow75OrWhenNothingIsBuffered(bool shedding, long used, long buffered, bool expected) =>
        Assert.Equal(expected, MemoryGuard.NextState(shedding, used, Limit, buffered));

    [Fact]
    public void Sample_FollowsTheMemoryInUseAcrossBothThresholdsAndReportsIt()
    {
        long used = 100;
        var metrics = new NodeMetrics("block");
        using var guard = new MemoryGuard(Limit, () => used, TimeProvider.System, metrics, NullLogger.Instance);
        Assert.False(guard.IsShedding);

        Assert.True(guard.Buffers.TryReserve(10));
        used = 950;
        guard.Sample();
        Assert.True(guard.IsShedding);
        Assert.Contains("palisade_memory_shedding 1", Export(metrics), StringComparison.Ordinal);

        // Between the thresholds the state holds either way.
        used = 800;
        guard.Sample();
        Assert.True(guard.IsShedding);

        used = 700;
        guard.Sample();
        Assert.False(guard.IsShedding);

        // Shedding also ends once no request holds a buffer, whatever the heap keeps for reuse.
        used = 950;
        guard.Sample();
        Assert.True(guard.IsShedding);
        guard.Buffers.Release(10);
        guard.Sample();
        Assert.False(guard.IsShedding);
        used = 700;
        guard.Sample();
        var text = Export(metrics);
        Assert.Contains("palisade_memory_shedding 0", text, StringComparison.Ordinal);
        Assert.Contains("palisade_memory_used_bytes 700", text, StringComparison.Ordinal);
        Assert.Contains("palisade_memory_limit_bytes 1000", text, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultLimit_IsWhatTheRuntimeSeesAsAvailable() =>
        Assert.Equal(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, MemoryGuard.DefaultLimit());

    private static string Export(NodeMetrics metrics)
    {
        using var stream = new MemoryStream();
        metrics.Registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
