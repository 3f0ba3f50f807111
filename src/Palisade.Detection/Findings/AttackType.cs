namespace Palisade.Detection.Findings;

/// <summary>The kinds of attack the engine reports. Names on the wire come from <see cref="AttackTypeNames"/>.</summary>
public enum AttackType
{
    Sqli,
    Xss,
    Rce,
    CodeInjection,
    PathTraversal,
    Ssrf,
    Xxe,
    Nosqli,
    Ldapi,
    Ssti,
    Crlf,
    OpenRedirect,
    Scanner,

    /// <summary>The request exceeded an inspection budget (depth, decoded bytes, points, time).</summary>
    Overlimit,

    /// <summary>A virtual patch of the operator's policy matched the request.</summary>
    VirtualPatch,
}
