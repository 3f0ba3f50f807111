namespace Palisade.Detection.Findings;

/// <summary>The kinds of attack the engine reports. Names on the wire come from <see cref="AttackTypeNames"/>.</summary>
public enum AttackType
{
    Sqli,
    Xss,
}
