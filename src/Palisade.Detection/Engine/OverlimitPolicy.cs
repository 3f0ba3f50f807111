namespace Palisade.Detection.Engine;

/// <summary>What a request that exhausts an inspection budget gets: an <c>overlimit</c> finding (block) or nothing (pass).</summary>
public enum OverlimitPolicy
{
    /// <summary>Report an <c>overlimit</c> finding: what could not be inspected is treated as hostile.</summary>
    Block,

    /// <summary>Inspect what fits in the budget and report only the flag <c>BudgetExceeded</c>.</summary>
    Pass,
}
