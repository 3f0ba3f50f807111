using Palisade.Node.Lifecycle;

namespace Palisade.Node.Tests.Lifecycle;

public sealed class BodyBufferBudgetTests
{
    [Fact]
    public void TryReserve_UpToTheCapacity_SucceedsAndPastItReservesNothing()
    {
        var budget = new BodyBufferBudget(100);

        Assert.True(budget.TryReserve(60));
        Assert.True(budget.TryReserve(40));
        Assert.False(budget.TryReserve(1));
        Assert.Equal(100, budget.Reserved);

        budget.Release(60);
        Assert.False(budget.TryReserve(61));
        Assert.True(budget.TryReserve(60));
        Assert.Equal(100, budget.Reserved);
    }

    [Fact]
    public void TryReserve_FromManyThreads_NeverExceedsTheCapacity()
    {
        var budget = new BodyBufferBudget(1000);
        var granted = 0;
        Parallel.For(0, 10_000, _ =>
        {
            if (budget.TryReserve(7))
            {
                Interlocked.Increment(ref granted);
            }
        });

        Assert.Equal(1000 / 7, granted);
        Assert.Equal(granted * 7, budget.Reserved);
    }

    [Fact]
    public void For_IsAQuarterOfTheMemoryLimit() => Assert.Equal(64L << 20, BodyBufferBudget.For(256L << 20).Capacity);
}
