using Palisade.Detection.Engine;

namespace Palisade.Detection.Corpus;

/// <summary>A record the engine got wrong, with what it found (for false positives) or nothing (for misses).</summary>
public sealed record CorpusOutcome(string Dataset, CorpusRecord Record, InspectionResult Result);
