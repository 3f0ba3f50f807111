using System.Globalization;
using System.Text;

namespace Palisade.Kubernetes.Capture;

/// <summary>
/// The pod's capture rules, as <c>iptables-restore --noflush</c> input: in the nat table, a chain of our own whose one
/// rule redirects inbound TCP for the application port to the node's port, and a jump to it from PREROUTING. Only
/// packets arriving from outside the pod pass PREROUTING: the node's own connection to <c>127.0.0.1:PORT</c> goes
/// through OUTPUT and reaches the application unchanged, so nothing loops. Declaring the chain flushes it, and the
/// jump is only added when missing, so applying the plan again changes nothing.
/// </summary>
public sealed record IptablesPlan(int ApplicationPort, int NodePort)
{
    public const string Chain = "PALISADE_INBOUND";

    /// <summary>The arguments (after the tool name) that test whether the PREROUTING jump exists.</summary>
    public static IReadOnlyList<string> JumpCheckArguments => ["-t", "nat", "-C", "PREROUTING", "-p", "tcp", "-j", Chain];

    public string RestoreInput(bool jumpPresent)
    {
        var text = new StringBuilder();
        text.Append("*nat\n");
        text.Append(CultureInfo.InvariantCulture, $":{Chain} - [0:0]\n");
        text.Append(CultureInfo.InvariantCulture, $"-A {Chain} -p tcp --dport {ApplicationPort} -j REDIRECT --to-ports {NodePort}\n");
        if (!jumpPresent)
        {
            text.Append(CultureInfo.InvariantCulture, $"-A PREROUTING -p tcp -j {Chain}\n");
        }

        text.Append("COMMIT\n");
        return text.ToString();
    }

    /// <summary>Why the ports cannot be used, or null.</summary>
    public string? Validate() =>
        ApplicationPort is < 1 or > 65535 ? $"--application-port: {ApplicationPort} is not a port (1-65535)"
        : NodePort is < 1 or > 65535 ? $"--node-port: {NodePort} is not a port (1-65535)"
        : ApplicationPort == NodePort ? "--node-port must differ from --application-port: redirecting a port to itself would loop"
        : null;
}
