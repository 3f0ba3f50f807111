using Palisade.Detection.Detectors.Ldapi;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// Runs the engine with the LDAP injection detector alone over the labelled corpus (<c>attacks/ldapi.jsonl</c> and
/// every <c>benign/*.jsonl</c>) and fails when detection regresses: the true-positive rate, the false-positive
/// rate, and a pinned list of records that must keep their verdict.
/// </summary>
public class LdapiCorpusTests() : DetectorCorpusTests<LdapiDetector>(MinimumTruePositiveRate, PinnedAttacks)
{
    /// <summary>Just under what the detector reaches today (100% measured). Every request of the category is caught.</summary>
    private const double MinimumTruePositiveRate = 0.99;

    private static readonly string[] PinnedAttacks = ["patt-ldapi-1", "patt-ldapi-5", "patt-ldapi-41", "gen-ldapi-1", "gen-ldapi-37", "gen-ldapi-49", "crs-ldapi-4", "crs-ldapi-11", "crs-ldapi-13", "crs-ldapi-17"];
}
