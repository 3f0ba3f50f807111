namespace Palisade.Node;

/// <summary>Header names the node reads or writes.</summary>
public static class NodeHeaders
{
    /// <summary>On every response: the id under which the request was logged.</summary>
    public const string PalisadeRequestId = "X-Palisade-Request-Id";

    /// <summary>Sent upstream; a valid client value is kept.</summary>
    public const string RequestId = "X-Request-Id";

    public const string ForwardedFor = "X-Forwarded-For";

    public const string ForwardedProto = "X-Forwarded-Proto";
}
