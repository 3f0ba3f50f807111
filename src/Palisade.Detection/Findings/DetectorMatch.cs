namespace Palisade.Detection.Findings;

/// <summary>
/// What a detector found in one value: why (a short, fixed explanation that never contains request data),
/// where in the value (so the engine can cut a masked excerpt), and how sure it is (0-100).
/// </summary>
public readonly record struct DetectorMatch(string Reason, int Start, int Length, int Score);
