using System.Security.Cryptography;
using System.Text;
using Palisade.Kubernetes.Models;

namespace Palisade.Kubernetes.Injection;

/// <summary>A short, stable hash of the rendered sidecar, written to the pod so a changed configuration shows.</summary>
public static class ConfigHash
{
    public static string Of(RenderedSidecar sidecar)
    {
        ArgumentNullException.ThrowIfNull(sidecar);
        var text = new StringBuilder(ModelJson.Serialize(sidecar.Node));
        if (sidecar.Iptables is not null)
        {
            text.Append('\n').Append(ModelJson.Serialize(sidecar.Iptables));
        }

        foreach (var volume in sidecar.Volumes)
        {
            text.Append('\n').Append(ModelJson.Serialize(volume));
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return "sha256:" + Convert.ToHexStringLower(hash)[..16];
    }
}
