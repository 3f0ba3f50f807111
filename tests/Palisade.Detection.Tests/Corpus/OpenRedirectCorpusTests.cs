using Palisade.Detection.Detectors.OpenRedirect;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// Runs the engine with the Open redirect detector alone over the labelled corpus (<c>attacks/open_redirect.jsonl</c> and every
/// <c>benign/*.jsonl</c>) and fails when detection regresses: the true-positive rate overall and per source, the
/// false-positive rate, and a pinned list of records that must keep their verdict.
/// </summary>
public class OpenRedirectCorpusTests() : DetectorCorpusTests<OpenRedirectDetector>(MinimumTruePositiveRate, PinnedAttacks, PinnedBenign)
{
    /// <summary>
    /// Measured 93.0% alone (95.4% with the default engine, where the XSS and SSRF detectors add script URLs and IP notations). What it leaves are plain URLs (<c>https://google.com</c>, <c>//google.com</c>), benign in form: only the parameter's role makes them redirects, and the detector does not see names.
    /// </summary>
    private const double MinimumTruePositiveRate = 0.92;

    // Attacks that must stay caught: disguised slashes, host-like credentials, encoded dot segments, look-alike characters.
    private static readonly string[] PinnedAttacks =
    [
        "patt-open_redirect-258", "patt-open_redirect-427", "patt-open_redirect-83", "patt-open_redirect-421",
        "patt-open_redirect-1", "patt-open_redirect-2",
    ];

    // Benign values shaped like redirect targets: protocol-relative beacon URLs, '//' paths without a host, image proxy paths, handles after a slash, encoded JSON.
    private static readonly string[] PinnedBenign =
    [
        "openappsec-real_traffic-1005", "openappsec-real_traffic-230", "openappsec-real_traffic-2705",
        "openappsec-real_traffic-2823", "openappsec-real_traffic-1396", "openappsec-real_traffic-1565",
        "openappsec-real_traffic-315", "openappsec-real_traffic-321", "gen-structured-240",
    ];

    [Theory]
    [InlineData("swisskyrepo/PayloadsAllTheThings", 0.92)]
    public void Evaluate_OpenRedirectAttacksBySource_TruePositiveRateAtLeastFloor(string source, double floor) => AssertSourceFloor(source, floor);
}
