namespace Palisade.Node.SharedState;

/// <summary>
/// An IP list entry added at run time and shared by the replicas: the list it belongs to (deny, gray, ...), the
/// address or CIDR range as given, why, until when (<c>null</c>: until removed) and the replica that added it.
/// </summary>
public sealed record SharedIpEntry(string List, string Cidr, string? Reason, DateTimeOffset? Expires, string Origin);
