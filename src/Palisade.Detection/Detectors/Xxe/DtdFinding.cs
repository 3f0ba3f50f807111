namespace Palisade.Detection.Detectors.Xxe;

/// <summary>What <see cref="DtdReader"/> found: a fixed reason (null for nothing) and the declaration's span.</summary>
internal readonly record struct DtdFinding(string? Reason, int Start, int Length);
