using Palisade.Detection.Detectors.CodeInjection;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// Runs the engine with the code injection detector alone over the labelled corpus (<c>attacks/code_injection.jsonl</c> and
/// every <c>benign/*.jsonl</c>) and fails when detection regresses: the true-positive rate, the false-positive
/// rate, and a pinned list of records that must keep their verdict.
/// </summary>
public class CodeInjectionCorpusTests() : DetectorCorpusTests<CodeInjectionDetector>(MinimumTruePositiveRate, PinnedAttacks, PinnedBenign)
{
    /// <summary>Just under what the detector measures alone today; see docs/detectors/code_injection.md for what it leaves.</summary>
    private const double MinimumTruePositiveRate = 0.79;

    private static readonly string[] PinnedAttacks = [
        "crs-code_injection-1", "crs-code_injection-53", "crs-code_injection-170", "crs-code_injection-301", "crs-code_injection-315", "crs-code_injection-331", "crs-code_injection-347", "crs-code_injection-349", "crs-code_injection-353", "crs-code_injection-357", "crs-code_injection-371", "crs-code_injection-385", "crs-code_injection-401", "crs-code_injection-402", "crs-code_injection-403", "crs-code_injection-412", "crs-code_injection-421", "crs-code_injection-440", "crs-code_injection-447", "crs-code_injection-450", "crs-code_injection-575", "crs-code_injection-740", "crs-code_injection-692", "crs-code_injection-699", "crs-code_injection-706",
    ];

    private static readonly string[] PinnedBenign = [
        "flask-text_fp-72", "flask-text_fp-289", "book-text_fp-238", "flask-text_fp-365", "flask-text_fp-382", "book-text_fp-321", "openappsec-real_traffic-460", "openappsec-real_traffic-3120", "openappsec-real_traffic-482", "jinja-text_fp-325",
    ];
}
