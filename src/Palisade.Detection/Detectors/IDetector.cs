using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Detectors;

/// <summary>
/// One attack type's detector. It sees one decoded value at a time and answers whether the value carries
/// the attack, with a fixed reason and the span that shows it. Detectors are stateless and thread-safe; a
/// cheap pre-filter must make clean values cost almost nothing.
/// </summary>
public interface IDetector
{
    /// <summary>Stable id used in events and exclusions, e.g. <c>sqli.grammar</c>.</summary>
    string Id { get; }

    AttackType AttackType { get; }

    /// <summary>
    /// Whether the detector also judges header values that are well-formed instances of their header's own
    /// grammar (a browser's <c>Accept</c> list, a product-list <c>User-Agent</c>). Such values cannot hold an
    /// injection, so injection detectors skip them; a detector that judges who is sending (scanner user
    /// agents) still reads them.
    /// </summary>
    bool JudgesWellFormedHeaders => false;

    /// <summary>
    /// Characters of which every value the detector can flag holds at least one (its pre-filter's triggers), so
    /// the engine can skip it on values with none of them without calling it; null when any value may match.
    /// </summary>
    string? RequiredCharacters => null;

    /// <summary>
    /// Whether the detector judges values from this part of the request (a scanner's user agent is a header, its
    /// probe a path); the engine skips it on values from elsewhere without calling it.
    /// </summary>
    bool Judges(ValueSource source) => true;

    bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match);
}
