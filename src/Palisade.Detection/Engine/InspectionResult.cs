using Palisade.Detection.Findings;

namespace Palisade.Detection.Engine;

/// <summary>What the engine found in one request.</summary>
public sealed class InspectionResult
{
    internal InspectionResult(IReadOnlyList<Finding> findings, int points, bool budgetExceeded)
    {
        Findings = findings;
        Points = points;
        BudgetExceeded = budgetExceeded;
    }

    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>True when at least one detector fired.</summary>
    public bool IsAttack => Findings.Count > 0;

    /// <summary>How many values were inspected.</summary>
    public int Points { get; }

    /// <summary>True when the point budget ran out before the whole request was walked.</summary>
    public bool BudgetExceeded { get; }
}
