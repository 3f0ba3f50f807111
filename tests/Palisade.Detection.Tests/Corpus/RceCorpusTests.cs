using Palisade.Detection.Detectors.Rce;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// Runs the engine with the command injection detector alone over the labelled corpus
/// (<c>attacks/rce.jsonl</c> and every <c>benign/*.jsonl</c>) and fails when detection regresses: the
/// true-positive rate overall and per source, the false-positive rate, and a pinned list of records that must
/// keep their verdict. The corpus sits beside the repository (<c>../shared/corpus</c>) or where
/// <c>PALISADE_CORPUS</c> points.
/// </summary>
public class RceCorpusTests() : DetectorCorpusTests<RceDetector>(MinimumTruePositiveRate, PinnedAttacks, PinnedBenign, MaximumFalsePositiveRate)
{
    /// <summary>
    /// Just under what the shell detector reaches alone (86.2% measured). What it leaves is mostly PHP code injection
    /// filed under RCE (<c>system('id')</c>, <c>{${phpinfo()}}</c>, the code injection detector's share), and CRS
    /// tests of lone words (<c>id</c>, <c>visudo</c>) and prose. Raise the floor as the gap closes.
    /// </summary>
    private const double MinimumTruePositiveRate = 0.85;

    /// <summary>
    /// What the detector reaches: one known false positive on the benign corpus (7433 requests), shell commands posted as
    /// documentation included. A new one must be looked at, not absorbed by a looser bound.
    /// </summary>
    // One known false positive since values are peeled up to 8 rounds of percent-decoding: an analytics cookie
    // (openappsec-real_traffic-3158, cookie.s_sq decoded four times) reads as a command after a separator.
    // It is tracked as an open detection issue; nothing beyond that one record is accepted.
    private const double MaximumFalsePositiveRate = 1.0 / 7433;

    // Attacks that must stay caught: both sources, every place a payload travels, every rule family.
    private static readonly string[] PinnedAttacks =
    [
        "crs-rce-23", "crs-rce-27", "crs-rce-79", "crs-rce-124", "crs-rce-133", "crs-rce-135", "crs-rce-172",
        "crs-rce-192", "crs-rce-281", "crs-rce-292", "crs-rce-328", "crs-rce-385", "crs-rce-448", "crs-rce-509",
        "patt-rce-14", "patt-rce-30", "patt-rce-58", "patt-rce-122", "patt-rce-133", "patt-rce-188", "patt-rce-214",
        "patt-rce-249", "patt-rce-280", "patt-rce-283", "patt-rce-289", "patt-rce-324", "patt-rce-405", "patt-rce-422",
        "patt-rce-431", "patt-rce-459", "patt-rce-562", "patt-rce-566", "patt-rce-671", "patt-rce-685", "patt-rce-716",
        "patt-rce-766", "crs-rce-207", "crs-rce-234", "crs-rce-340", "crs-rce-419", "crs-rce-455", "crs-rce-537",
        "crs-rce-541", "crs-rce-605", "crs-rce-24", "crs-rce-37", "crs-rce-256",
    ];

    // Benign requests that look like shell and must keep passing: commands posted as documentation and code
    // snippets ("$ cargo run", "dotnet build", "$ flask run"), pipes and semicolons in recorded traffic.
    private static readonly string[] PinnedBenign =
    [
        "polly-text_fp-293", "reverse-proxy-text_fp-295", "flask-text_fp-294", "flask-text_fp-296", "flask-text_fp-326",
        "flask-text_fp-373", "flask-text_fp-380", "book-text_fp-296", "book-text_fp-297", "book-text_fp-301",
        "book-text_fp-302", "book-text_fp-303", "book-text_fp-304", "book-text_fp-306", "book-text_fp-308",
        "openappsec-real_traffic-626", "openappsec-real_traffic-2794", "openappsec-real_traffic-3051",
        "openappsec-real_traffic-43",
    ];

    [Theory]
    [InlineData("swisskyrepo/PayloadsAllTheThings", 0.82)]
    [InlineData("coreruleset/coreruleset", 0.80)]
    public void Evaluate_RceAttacksBySource_TruePositiveRateAtLeastFloor(string source, double floor) => AssertSourceFloor(source, floor);
}
