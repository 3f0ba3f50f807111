namespace Palisade.Kubernetes.Capture;

/// <summary>The executables of one backend and address family: <c>ip6tables-nft</c>, <c>iptables-legacy-restore</c>.</summary>
public sealed record IptablesTools(IptablesBackend Backend, bool IPv6)
{
    private string Stem => (IPv6 ? "ip6tables" : "iptables") + (Backend == IptablesBackend.Nft ? "-nft" : "-legacy");

    public string Iptables => Stem;

    public string Restore => Stem + "-restore";

    public string Save => Stem + "-save";

    public string Family => IPv6 ? "IPv6" : "IPv4";
}
