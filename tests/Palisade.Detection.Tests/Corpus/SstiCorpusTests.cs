using Palisade.Detection.Detectors.Ssti;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// Runs the engine with the template injection detector alone over the labelled corpus (<c>attacks/ssti.jsonl</c> and
/// every <c>benign/*.jsonl</c>) and fails when detection regresses: the true-positive rate, the false-positive
/// rate, and a pinned list of records that must keep their verdict.
/// </summary>
public class SstiCorpusTests() : DetectorCorpusTests<SstiDetector>(MinimumTruePositiveRate, PinnedAttacks, PinnedBenign)
{
    /// <summary>Just under what the detector measures alone today; see docs/detectors/ssti.md for what it leaves.</summary>
    private const double MinimumTruePositiveRate = 0.94;

    private static readonly string[] PinnedAttacks = [
        "patt-ssti-1", "patt-ssti-85", "patt-ssti-153", "patt-ssti-217", "patt-ssti-219", "patt-ssti-221", "patt-ssti-225", "patt-ssti-275", "patt-ssti-317", "patt-ssti-385", "patt-ssti-387", "patt-ssti-391", "patt-ssti-408", "patt-ssti-423", "patt-ssti-443", "patt-ssti-464", "patt-ssti-481", "patt-ssti-503", "patt-ssti-505", "patt-ssti-507",
    ];

    private static readonly string[] PinnedBenign = [
        "flask-text_fp-300", "flask-text_fp-304", "flask-text_fp-314", "jinja-text_fp-298", "jinja-text_fp-325", "jinja-text_fp-345", "jinja-text_fp-361", "openappsec-real_traffic-75", "openappsec-real_traffic-159", "openappsec-real_traffic-484", "openappsec-real_traffic-1249",
    ];
}
