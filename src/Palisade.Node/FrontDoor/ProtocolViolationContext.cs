using System.Net;

namespace Palisade.Node.FrontDoor;

/// <summary>
/// A refused request as the front door reports it: why, from where, under which request id, and whether it was
/// refused at its head (the front door answered; the request path never saw it) or in its body (the request path
/// answered).
/// </summary>
public readonly record struct ProtocolViolationContext(ProtocolViolation Violation, EndPoint? Remote, string RequestId, bool InHead);
