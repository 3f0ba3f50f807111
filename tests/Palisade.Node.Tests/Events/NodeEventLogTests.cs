using Palisade.Node.Events;
using Palisade.Node.Metrics;

namespace Palisade.Node.Tests.Events;

/// <summary>The fan-out to sinks: each behind its own bounded queue, drops counted per sink and reason.</summary>
public sealed class NodeEventLogTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Publish_OneSinkStuck_OtherSinkWritesEveryEventAndStuckSinkCountsQueueFull()
    {
        var metrics = new NodeMetrics("block");
        var counting = new CountingSink();
        var stuck = new StuckSink();
        const int published = NodeEventLog.Capacity + 500;
        var events = new NodeEventLog(metrics, [counting, stuck]);

        // In steps the counting sink can keep up with, so that only the stuck sink's queue fills.
        for (var i = 0; i < published; i++)
        {
            Assert.True(events.Publish(SqliteAttackLogTests.Attack($"r{i}", Start)) || i >= NodeEventLog.Capacity);
            if (i % 1000 == 999)
            {
                await WaitUntilAsync(() => counting.Written == i + 1);
            }
        }

        await WaitUntilAsync(() => counting.Written == published);
        var queueFull = metrics.EventsDropped("stuck", EventDropReason.QueueFull).Value;
        Assert.InRange(queueFull, (double)(published - NodeEventLog.Capacity - EventSinkChannel.MaxBatch), published - NodeEventLog.Capacity - 1);
        Assert.Equal(0, metrics.EventsDropped("counting", EventDropReason.QueueFull).Value);

        stuck.Release();
        await events.DisposeAsync();
        Assert.Equal(published, stuck.Written + (int)queueFull);
    }

    [Fact]
    public async Task Publish_SinkFailsABatch_BatchCountedAsWriteFailed()
    {
        var metrics = new NodeMetrics("block");
        var failing = new FailingSink();
        await using (var events = new NodeEventLog(metrics, [failing]))
        {
            events.Publish(SqliteAttackLogTests.Attack("a", Start));
            events.Publish(SqliteAttackLogTests.Attack("b", Start));
        }

        Assert.Equal(2, metrics.EventsDropped("failing", EventDropReason.WriteFailed).Value);
        Assert.Equal(0, metrics.EventsDropped("failing", EventDropReason.QueueFull).Value);
    }

    [Fact]
    public async Task Publish_SinkWritesPartOfABatch_OnlyTheEventsNotWrittenAreCounted()
    {
        var metrics = new NodeMetrics("block");
        await using (var events = new NodeEventLog(metrics, [new HalfSink()]))
        {
            for (var i = 0; i < 4; i++)
            {
                events.Publish(SqliteAttackLogTests.Attack($"e{i}", Start));
            }
        }

        Assert.InRange(metrics.EventsDropped("half", EventDropReason.WriteFailed).Value, 1, 2);
    }

    private sealed class HalfSink : INodeEventSink
    {
        public string Name => "half";

        public ValueTask<int> WriteAsync(IReadOnlyList<INodeEvent> batch, CancellationToken cancellationToken) => ValueTask.FromResult(batch.Count / 2);
    }

    private sealed class StuckSink : INodeEventSink
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _written;

        public string Name => "stuck";

        public int Written => Volatile.Read(ref _written);

        public void Release() => _release.TrySetResult();

        public async ValueTask<int> WriteAsync(IReadOnlyList<INodeEvent> batch, CancellationToken cancellationToken)
        {
            await _release.Task;
            Interlocked.Add(ref _written, batch.Count);
            return batch.Count;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 15 s");
            await Task.Delay(10);
        }
    }

    private sealed class CountingSink : INodeEventSink
    {
        private int _written;

        public string Name => "counting";

        public int Written => Volatile.Read(ref _written);

        public ValueTask<int> WriteAsync(IReadOnlyList<INodeEvent> batch, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref _written, batch.Count);
            return ValueTask.FromResult(batch.Count);
        }
    }

    private sealed class FailingSink : INodeEventSink
    {
        public string Name => "failing";

        public ValueTask<int> WriteAsync(IReadOnlyList<INodeEvent> batch, CancellationToken cancellationToken) => ValueTask.FromResult(0);
    }
}
