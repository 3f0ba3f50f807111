using Palisade.Detection.Detectors.Sqli;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// Runs the engine with the SQL injection detector alone over the labelled corpus
/// (<c>attacks/sqli.jsonl</c> and every <c>benign/*.jsonl</c>) and fails when detection regresses: the
/// true-positive rate overall and per source, the false-positive rate, and a pinned list of records that must
/// keep their verdict. The corpus sits beside the repository (<c>../shared/corpus</c>) or where
/// <c>PALISADE_CORPUS</c> points.
/// </summary>
public class SqliCorpusTests() : DetectorCorpusTests<SqliDetector>(MinimumTruePositiveRate, PinnedAttacks, PinnedBenign, MaximumFalsePositiveRate)
{
    /// <summary>
    /// The project's target, which this detector reaches with today's engine (90.7% measured). What it still
    /// leaves is mostly CRS fragments that are not SQL on their own (lone operators, "execute php", HTML
    /// attributes, NoSQL operators, integers), quoted symbols between words (<c>A '*' B</c>), and payloads broken
    /// beyond parsing. Raise the floor as the gap closes.
    /// </summary>
    private const double MinimumTruePositiveRate = 0.90;

    /// <summary>
    /// What the detector reaches: one false positive on the benign corpus (7433 requests), and a new one must be
    /// looked at, not absorbed by a looser bound; the detector's share of the engine's 1% budget is 0.4%. The one:
    /// openappsec-real_traffic-651, a recommendation API that takes SQL filter expressions on purpose
    /// (<c>"filter":"price is not null AND title is not null ..."</c>) in a JSON body sent as <c>text/plain</c>. Since
    /// bodies are read as what they are as well as what they are declared, its members are inspected, and a
    /// condition of null tests read unquoted is SQL.
    /// </summary>
    private const double MaximumFalsePositiveRate = 1.0 / 7433;

    // Attacks that must stay caught: every source, every place a payload travels, every rule family.
    private static readonly string[] PinnedAttacks =
    [
        "patt-sqli-17", "patt-sqli-26", "patt-sqli-72", "patt-sqli-97", "patt-sqli-100", "patt-sqli-153",
        "patt-sqli-163", "patt-sqli-210", "patt-sqli-231", "patt-sqli-294", "patt-sqli-378", "patt-sqli-410",
        "patt-sqli-517", "patt-sqli-528", "patt-sqli-651", "patt-sqli-809", "patt-sqli-1219",
        "libinjection-sqli-61", "libinjection-sqli-119", "libinjection-sqli-151", "libinjection-sqli-159",
        "libinjection-sqli-637", "libinjection-sqli-654", "libinjection-sqli-751",
        "crs-sqli-1", "crs-sqli-77", "crs-sqli-180", "crs-sqli-219", "crs-sqli-233", "crs-sqli-269",
        "crs-sqli-357", "crs-sqli-374", "crs-sqli-425", "crs-sqli-638", "crs-sqli-674", "crs-sqli-719",
        "crs-sqli-764",

        // Function and subquery fragments, select-list tails, constant comparisons, typographic quotes, lone
        // quotes, stacked truncation, juxtaposed subqueries, backticks, WAITFOR anywhere.
        "crs-sqli-626", "crs-sqli-499", "crs-sqli-466", "libinjection-sqli-281", "patt-sqli-102", "crs-sqli-646",
        "crs-sqli-72", "crs-sqli-703", "crs-sqli-553", "crs-sqli-463", "libinjection-sqli-519",
        "libinjection-sqli-555", "crs-sqli-681", "crs-sqli-97", "crs-sqli-439", "crs-sqli-380", "crs-sqli-710",
        "crs-sqli-672", "crs-sqli-808", "crs-sqli-328", "patt-sqli-501",
    ];

    // Benign requests that look like SQL and must keep passing: libinjection's false positives, SQL and code
    // posted as content, names with apostrophes, searches with quotes, URLs and tokens, recorded cookies.
    private static readonly string[] PinnedBenign =
    [
        "libinjection-libinjection_fp-81", "libinjection-libinjection_fp-133", "libinjection-libinjection_fp-181",
        "libinjection-libinjection_fp-289", "libinjection-libinjection_fp-327", "libinjection-libinjection_fp-443",
        "libinjection-libinjection_fp-445", "libinjection-libinjection_fp-473", "libinjection-libinjection_fp-499",
        "libinjection-libinjection_fp-525", "libinjection-libinjection_fp-527", "libinjection-libinjection_fp-533",
        "libinjection-libinjection_fp-541", "libinjection-libinjection_fp-575", "libinjection-libinjection_fp-581",
        "libinjection-libinjection_fp-712", "libinjection-libinjection_fp-714", "libinjection-libinjection_fp-734",
        "flask-text_fp-348", "flask-text_fp-364", "flask-text_fp-369", "flask-text_fp-370",
        "gen-structured-1", "gen-structured-2", "gen-structured-161", "gen-structured-162", "gen-structured-239",
        "gen-structured-899", "openappsec-real_traffic-385", "openappsec-real_traffic-3504",
        "openappsec-real_traffic-3517",

        // Quoted symbols and words in searches, '=' runs, typographic apostrophes, '||' as an empty pair.
        "libinjection-libinjection_fp-161", "libinjection-libinjection_fp-211", "libinjection-libinjection_fp-267",
        "libinjection-libinjection_fp-295", "libinjection-libinjection_fp-702", "book-text_fp-8",
        "openappsec-real_traffic-412",
    ];

    [Theory]
    [InlineData("swisskyrepo/PayloadsAllTheThings", 0.98)]
    [InlineData("libinjection/libinjection", 0.93)]
    [InlineData("coreruleset/coreruleset", 0.75)]
    public void Evaluate_SqliAttacksBySource_TruePositiveRateAtLeastFloor(string source, double floor) => AssertSourceFloor(source, floor);
}
