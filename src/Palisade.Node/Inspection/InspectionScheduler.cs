using System.Collections.Concurrent;
using Palisade.Detection.Engine;
using Palisade.Detection.Snapshots;

namespace Palisade.Node.Inspection;

/// <summary>
/// Runs the engine on requests. On a node with nothing else to do, a request is inspected on its own thread, at
/// once. When the thread pool has work waiting (the node is saturated), requests are queued and inspected back to
/// back by one work item per core, a cohort at a time: the engine's code and tables stay in the core's caches
/// across the cohort, instead of being evicted by the proxying, the kernel and the application that run between
/// two inspections otherwise (measured: one inspection of a 1 KiB JSON order costs ~3x its hot-loop time when
/// run alone between proxied requests). Nothing goes upstream before its request's inspection has finished,
/// either way; only the thread it runs on changes.
/// </summary>
internal sealed class InspectionScheduler : IThreadPoolWorkItem
{
    /// <summary>Bodies larger than this are inspected on their own thread, so that one never holds up a cohort.</summary>
    public const int MaxQueuedBodyBytes = 64 * 1024;

    // After this many inspections a drain yields its thread to the other waiting work and queues itself again.
    private const int CohortLimit = 32;

    private readonly InspectionEngine _engine;
    private readonly Action<TimeSpan> _observe;
    private readonly Action<TimeSpan> _observeWait;
    private readonly ConcurrentQueue<Pending> _queue = new();
    private readonly int _maxDrains;
    private readonly Func<bool> _busy;
    private int _drains;

    /// <param name="engine">The engine.</param>
    /// <param name="observe">Given the duration of each inspection (the engine's own time, not the wait).</param>
    /// <param name="observeWait">Given, for each queued request, how long it waited for its cohort.</param>
    /// <param name="maxDrains">Drains at once; one per core by default.</param>
    /// <param name="busy">Whether other work is waiting; by default, whether the thread pool has queued work items.</param>
    public InspectionScheduler(InspectionEngine engine, Action<TimeSpan> observe, Action<TimeSpan>? observeWait = null, int? maxDrains = null, Func<bool>? busy = null)
    {
        _engine = engine;
        _observe = observe;
        _observeWait = observeWait ?? (static _ => { });
        _maxDrains = Math.Max(1, maxDrains ?? Environment.ProcessorCount);
        _busy = busy ?? (static () => ThreadPool.PendingWorkItemCount > 0);
    }

    /// <summary>Inspects <paramref name="snapshot"/>, now or in the next cohort; an engine failure is thrown to the caller.</summary>
    /// <param name="snapshot">The request.</param>
    /// <param name="observer">Shown every value inspected (the policy's rules that test values), or null.</param>
    public ValueTask<InspectionResult> InspectAsync(RequestSnapshot snapshot, IInspectionObserver? observer = null)
    {
        if (snapshot.Body.Length > MaxQueuedBodyBytes || !_busy())
        {
            return new ValueTask<InspectionResult>(Inspect(snapshot, observer));
        }


        // Continuations run on the pool, not inside the drain, which goes on to the next request.
        var pending = new Pending(snapshot, observer, new TaskCompletionSource<InspectionResult>(TaskCreationOptions.RunContinuationsAsynchronously), TimeProvider.System.GetTimestamp());
        _queue.Enqueue(pending);
        StartDrainIfNeeded();
        return new ValueTask<InspectionResult>(pending.Completion.Task);
    }

    void IThreadPoolWorkItem.Execute()
    {
        var done = 0;
        while (done < CohortLimit && _queue.TryDequeue(out var pending))
        {
            try
            {
                _observeWait(TimeProvider.System.GetElapsedTime(pending.Queued));
                pending.Completion.SetResult(Inspect(pending.Snapshot, pending.Observer));
            }
#pragma warning disable CA1031 // The failure belongs to the request that was inspected; the caller applies the fail-open policy.
            catch (Exception e)
#pragma warning restore CA1031
            {
                pending.Completion.SetException(e);
            }

            done++;
        }

        Interlocked.Decrement(ref _drains);

        // A request queued between the last TryDequeue and the decrement found the drain still counted and started
        // none: look again. Also where the cohort limit stopped this drain with requests left.
        if (!_queue.IsEmpty)
        {
            StartDrainIfNeeded();
        }
    }

    private InspectionResult Inspect(RequestSnapshot snapshot, IInspectionObserver? observer)
    {
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            return _engine.Inspect(snapshot, observer);
        }
        finally
        {
            _observe(TimeProvider.System.GetElapsedTime(started));
        }
    }

    private void StartDrainIfNeeded()
    {
        var drains = Volatile.Read(ref _drains);
        while (drains < _maxDrains)
        {
            var seen = Interlocked.CompareExchange(ref _drains, drains + 1, drains);
            if (seen == drains)
            {
                // At the back of the global queue: the requests already waiting there reach this point first and
                // join the cohort.
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }

            drains = seen;
        }
    }

    private sealed record Pending(RequestSnapshot Snapshot, IInspectionObserver? Observer, TaskCompletionSource<InspectionResult> Completion, long Queued);
}
