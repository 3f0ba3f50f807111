using Palisade.Detection.Detectors.Ssrf;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// Runs the engine with the SSRF detector alone over the labelled corpus (<c>attacks/ssrf.jsonl</c> and every
/// <c>benign/*.jsonl</c>) and fails when detection regresses: the true-positive rate overall and per source, the
/// false-positive rate, and a pinned list of records that must keep their verdict.
/// </summary>
public class SsrfCorpusTests() : DetectorCorpusTests<SsrfDetector>(MinimumTruePositiveRate, PinnedAttacks, PinnedBenign)
{
    /// <summary>
    /// Measured 98.3%. What it leaves: redirector services that hide the target in a random subdomain, an internal address inside a public host's path, and public IPv6 literals (<c>[a::b]</c>), which CRS flags and this detector does not.
    /// </summary>
    private const double MinimumTruePositiveRate = 0.98;

    // Attacks that must stay caught: metadata services, every IP notation, look-alike digits, parser confusion, raw-service schemes, bare internal names.
    private static readonly string[] PinnedAttacks =
    [
        "crs-ssrf-150", "crs-ssrf-164", "crs-ssrf-147", "crs-ssrf-197", "crs-ssrf-32", "crs-ssrf-114", "crs-ssrf-21",
        "crs-ssrf-106", "patt-ssrf-151", "patt-ssrf-25", "patt-ssrf-199", "patt-ssrf-81", "patt-ssrf-1",
        "patt-ssrf-2",
    ];

    // Benign values that hold loopback or private URLs, or look like a scheme: development servers shared as links, intranet addresses, code quoting local URLs, "name:number" pairs and tokens.
    private static readonly string[] PinnedBenign =
    [
        "gen-structured-240", "gen-structured-268", "gen-structured-284", "gen-structured-331", "gen-structured-422",
        "reverse-proxy-text_fp-295", "flask-text_fp-293", "openappsec-real_traffic-273",
        "openappsec-real_traffic-592", "openappsec-real_traffic-895", "openappsec-real_traffic-1657",
    ];

    [Theory]
    [InlineData("swisskyrepo/PayloadsAllTheThings", 0.98)]
    [InlineData("coreruleset/coreruleset", 0.96)]
    public void Evaluate_SsrfAttacksBySource_TruePositiveRateAtLeastFloor(string source, double floor) => AssertSourceFloor(source, floor);
}
