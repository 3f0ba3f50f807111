using Palisade.Detection.Detectors;
using Palisade.Detection.Engine;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;
using Palisade.Detection.Snapshots;
using Palisade.Node.Inspection;

namespace Palisade.Node.Tests.Inspection;

public class InspectionSchedulerTests
{
    private static readonly InspectionEngine Engine = InspectionEngine.CreateDefault();

    private static RequestSnapshot Clean(int i) => new("GET", $"/shop/products?page={i}&sort=price", []);

    private static RequestSnapshot Attack(int i) => new("GET", $"/shop/products?page={i}&q=%27%20or%201%3D1--", []);

    [Fact]
    public async Task An_idle_node_inspects_on_the_request_thread()
    {
        var (observed, waited) = (0, 0);
        var scheduler = new InspectionScheduler(Engine, _ => observed++, _ => waited++, busy: () => false);

        var inspection = scheduler.InspectAsync(Attack(1));

        Assert.True(inspection.IsCompletedSuccessfully);
        Assert.True((await inspection).IsAttack);
        Assert.Equal(1, observed);
        Assert.Equal(0, waited);
    }

    [Fact]
    public async Task A_busy_node_queues_requests_and_each_gets_its_own_verdict()
    {
        var (observed, waited) = (0, 0);
        var scheduler = new InspectionScheduler(Engine, _ => Interlocked.Increment(ref observed), observeWait: _ => Interlocked.Increment(ref waited), maxDrains: 2, busy: () => true);

        var verdicts = await Task.WhenAll(Enumerable.Range(0, 400).Select(i => Task.Run(async () =>
        {
            var result = await scheduler.InspectAsync(i % 3 == 0 ? Attack(i) : Clean(i));
            return (i, result.IsAttack);
        })));

        Assert.All(verdicts, v => Assert.Equal(v.i % 3 == 0, v.IsAttack));
        Assert.Equal(400, observed);
        Assert.Equal(400, waited);
    }

    [Fact]
    public async Task A_cohort_longer_than_the_limit_is_drained_to_the_end()
    {
        var scheduler = new InspectionScheduler(Engine, _ => { }, maxDrains: 1, busy: () => true);

        var inspections = Enumerable.Range(0, 200).Select(i => scheduler.InspectAsync(Clean(i)).AsTask()).ToArray();
        var results = await Task.WhenAll(inspections).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(results, r => Assert.False(r.IsAttack));
    }

    [Fact]
    public async Task An_engine_failure_reaches_the_request_that_was_being_inspected()
    {
        var failing = new InspectionEngine([new Throwing()]);
        var scheduler = new InspectionScheduler(failing, _ => { }, busy: () => true);

        var failed = scheduler.InspectAsync(Clean(1)).AsTask();
        var fine = new InspectionScheduler(Engine, _ => { }, busy: () => true).InspectAsync(Clean(2)).AsTask();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failed);
        Assert.Equal("detector failed", error.Message);
        Assert.False((await fine).IsAttack);

        // The drain survived the failure: the next request is inspected.
        await Assert.ThrowsAsync<InvalidOperationException>(() => scheduler.InspectAsync(Clean(3)).AsTask());
    }

    [Fact]
    public async Task A_failing_metric_fails_its_request_and_not_the_drain()
    {
        var calls = 0;
        void FailFirst(TimeSpan waited)
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InvalidOperationException("metric");
            }
        }

        var scheduler = new InspectionScheduler(Engine, _ => { }, observeWait: FailFirst, busy: () => true);

        await Assert.ThrowsAsync<InvalidOperationException>(() => scheduler.InspectAsync(Clean(1)).AsTask());
        Assert.True((await scheduler.InspectAsync(Attack(2))).IsAttack);
    }

    [Fact]
    public void A_large_body_is_inspected_on_its_own_thread_even_when_busy()
    {
        var scheduler = new InspectionScheduler(Engine, _ => { }, busy: () => true);
        var body = new byte[InspectionScheduler.MaxQueuedBodyBytes + 1];
        body.AsSpan().Fill((byte)'a');

        var inspection = scheduler.InspectAsync(new RequestSnapshot("POST", "/upload", [new HttpHeader("Content-Type", "text/plain")]) { Body = body });

        Assert.True(inspection.IsCompletedSuccessfully);
    }

    private sealed class Throwing : IDetector
    {
        public string Id => "test.throwing";

        public AttackType AttackType => AttackType.Sqli;

        public bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match) =>
            throw new InvalidOperationException("detector failed");
    }
}
