namespace Palisade.Kubernetes.Injection;

/// <summary>How the application's inbound traffic reaches the node.</summary>
public enum CaptureMode
{
    /// <summary>An init container redirects inbound TCP to the application port to the node (the Service stays as it is).</summary>
    Iptables,

    /// <summary>Nothing is redirected: the Service's <c>targetPort</c> names the node's port (<c>palisade-http</c>).</summary>
    Service,
}
