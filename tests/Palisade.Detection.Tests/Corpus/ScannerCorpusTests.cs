using Palisade.Detection.Detectors.Scanner;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// Runs the engine with the scanner detector alone over the labelled corpus (<c>attacks/scanner.jsonl</c> and
/// every <c>benign/*.jsonl</c>) and fails when detection regresses: the true-positive rate, the false-positive
/// rate, and a pinned list of records that must keep their verdict.
/// </summary>
public class ScannerCorpusTests() : DetectorCorpusTests<ScannerDetector>(MinimumTruePositiveRate, PinnedAttacks)
{
    /// <summary>Just under what the detector reaches today (99.8% measured). It leaves <c>/config.json</c>, which single-page applications fetch from their own sites.</summary>
    private const double MinimumTruePositiveRate = 0.99;

    private static readonly string[] PinnedAttacks = ["gen-scanner-1", "gen-scanner-13", "gen-scanner-17", "gen-scanner-53", "patt-scanner-3", "patt-scanner-11", "crs-scanner-15", "crs-scanner-95", "crs-scanner-135", "crs-scanner-195", "crs-scanner-287"];
}
