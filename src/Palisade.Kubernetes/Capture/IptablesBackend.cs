namespace Palisade.Kubernetes.Capture;

/// <summary>The two netfilter front ends a node may use; rules in one are invisible to the other.</summary>
public enum IptablesBackend
{
    Nft,
    Legacy,
}
