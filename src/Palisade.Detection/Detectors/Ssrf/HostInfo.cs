namespace Palisade.Detection.Detectors.Ssrf;

/// <summary>
/// The verdict on one host: what it reaches, whether it was written as an IP literal, and whether that literal
/// used a notation no one types by hand (hex, octal, a single integer, short or overflowing parts, IPv6 forms of
/// an IPv4 address, look-alike digits).
/// </summary>
public readonly record struct HostInfo(HostKind Kind, bool IsIpLiteral, bool IsObfuscated);
