using Palisade.Detection.Detectors.Xxe;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// Runs the engine with the XXE detector alone over the labelled corpus (<c>attacks/xxe.jsonl</c> and
/// every <c>benign/*.jsonl</c>) and fails when detection regresses: the true-positive rate, the false-positive
/// rate, and a pinned list of records that must keep their verdict.
/// </summary>
public class XxeCorpusTests() : DetectorCorpusTests<XxeDetector>(MinimumTruePositiveRate, PinnedAttacks)
{
    /// <summary>Just under what the detector reaches today (100% measured). Every request of the category is caught.</summary>
    private const double MinimumTruePositiveRate = 0.99;

    private static readonly string[] PinnedAttacks = ["patt-xxe-1", "patt-xxe-2", "patt-xxe-73", "patt-xxe-100", "patt-xxe-150", "patt-xxe-200", "patt-xxe-227"];
}
