namespace Palisade.Detection.Findings;

/// <summary>
/// One detection in one point of a request.
/// </summary>
/// <param name="AttackType">What kind of attack.</param>
/// <param name="Point">Where the value sits (<c>query.id</c>, <c>body.json.user.name</c>).</param>
/// <param name="DetectorId">The stable id of the detector that fired (<c>sqli.grammar</c>).</param>
/// <param name="Reason">Why, in a few words, without request data.</param>
/// <param name="Evidence">A short excerpt of the value around the match, masked when the point holds a secret.</param>
/// <param name="Score">Confidence, 0-100.</param>
public sealed record Finding(AttackType AttackType, string Point, string DetectorId, string Reason, string Evidence, int Score);
