namespace Palisade.Detection.Engine;

/// <summary>Budgets that bound the work one request can cause. Immutable.</summary>
public sealed record InspectionOptions
{
    public static InspectionOptions Default { get; } = new();

    /// <summary>How many values (points) one request may produce before the walk stops.</summary>
    public int MaxPoints { get; init; } = 10_000;

    /// <summary>How many times a value is decoded again when the result still holds escapes.</summary>
    public int MaxDecodeDepth { get; init; } = 3;

    /// <summary>Nesting limit for JSON documents.</summary>
    public int MaxJsonDepth { get; init; } = 64;
}
