namespace Palisade.Node.FrontDoor;

/// <summary>
/// What the request path tells the front door about its connection: that the application switched protocols
/// (a 101), after which the bytes are a tunnel rather than HTTP/1.1 messages.
/// </summary>
public sealed class FrontDoorConnectionFeature
{
    private volatile bool _switchedProtocols;

    public bool SwitchedProtocols => _switchedProtocols;

    public void MarkSwitchedProtocols() => _switchedProtocols = true;

    /// <summary>The id of the request being handled, so that a violation in its body is logged under it.</summary>
    public string? CurrentRequestId { get; set; }
}
