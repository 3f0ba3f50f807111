using Palisade.Detection.Detectors.Crlf;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// Runs the engine with the CRLF injection detector alone over the labelled corpus (<c>attacks/crlf.jsonl</c> and
/// every <c>benign/*.jsonl</c>) and fails when detection regresses: the true-positive rate, the false-positive
/// rate, and a pinned list of records that must keep their verdict.
/// </summary>
public class CrlfCorpusTests() : DetectorCorpusTests<CrlfDetector>(MinimumTruePositiveRate, PinnedAttacks)
{
    /// <summary>Just under what the detector reaches today (96.2% measured). It leaves CRS tests whose break sits in a form body (text, where line breaks are normal), an XML attribute with character references, and a request line (<c>GET http://... HTTP/1.2</c>) without a break.</summary>
    private const double MinimumTruePositiveRate = 0.95;

    private static readonly string[] PinnedAttacks = ["patt-crlf-1", "patt-crlf-2", "patt-crlf-30", "patt-crlf-66", "patt-crlf-78", "gen-crlf-5", "gen-crlf-23", "crs-crlf-1", "crs-crlf-12", "crs-crlf-13", "crs-crlf-23"];
}
