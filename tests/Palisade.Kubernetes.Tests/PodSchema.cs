using System.Globalization;
using k8s.Models;
using Palisade.Kubernetes.Injection;

namespace Palisade.Kubernetes.Tests;

/// <summary>
/// The checks the API server's validation would make on the fields injection touches: required fields, names,
/// ports, quantities, mounts of declared volumes, native-sidecar restart policy. Returns every violation.
/// </summary>
internal static class PodSchema
{
    public static IReadOnlyList<string> Check(V1ObjectMeta? metadata, V1PodSpec spec)
    {
        var problems = new List<string>();
        if (spec.Containers is not { Count: > 0 })
        {
            problems.Add("spec.containers is empty");
            return problems;
        }

        var all = spec.Containers.Select(c => ("containers", c)).Concat((spec.InitContainers ?? []).Select(c => ("initContainers", c))).ToList();
        var volumes = (spec.Volumes ?? []).Select(v => v.Name).ToList();
        foreach (var name in volumes.GroupBy(n => n).Where(g => g.Count() > 1))
        {
            problems.Add($"volume {name.Key} is declared twice");
        }

        foreach (var volume in spec.Volumes ?? [])
        {
            if (!KubernetesNames.IsDnsLabel(volume.Name))
            {
                problems.Add($"volume name '{volume.Name}' is not a DNS label");
            }
        }

        foreach (var name in all.Select(c => c.Item2.Name).GroupBy(n => n).Where(g => g.Count() > 1))
        {
            problems.Add($"container {name.Key} is declared twice");
        }

        var ports = new HashSet<int>();
        var portNames = new HashSet<string>();
        foreach (var (list, container) in all)
        {
            var where = $"{list}[{container.Name}]";
            if (!KubernetesNames.IsDnsLabel(container.Name))
            {
                problems.Add($"{where}: name is not a DNS label");
            }

            if (string.IsNullOrWhiteSpace(container.Image))
            {
                problems.Add($"{where}: image is required");
            }

            if (list == "containers" && container.RestartPolicy is not null)
            {
                problems.Add($"{where}: restartPolicy is only allowed on init containers");
            }

            if (container.RestartPolicy is not (null or "Always"))
            {
                problems.Add($"{where}: restartPolicy must be Always");
            }

            foreach (var port in container.Ports ?? [])
            {
                if (port.ContainerPort is < 1 or > 65535)
                {
                    problems.Add($"{where}: port {port.ContainerPort} is out of range");
                }

                if (!ports.Add(port.ContainerPort))
                {
                    problems.Add($"{where}: port {port.ContainerPort} is used twice in the pod");
                }

                if (port.Name is not null && (port.Name.Length > 15 || !KubernetesNames.IsDnsLabel(port.Name) || !portNames.Add(port.Name)))
                {
                    problems.Add($"{where}: port name '{port.Name}' is invalid or used twice");
                }
            }

            foreach (var mount in container.VolumeMounts ?? [])
            {
                if (!volumes.Contains(mount.Name))
                {
                    problems.Add($"{where}: mounts undeclared volume '{mount.Name}'");
                }
            }

            foreach (var quantity in (container.Resources?.Requests ?? new Dictionary<string, ResourceQuantity>()).Concat(container.Resources?.Limits ?? new Dictionary<string, ResourceQuantity>()))
            {
                if (quantity.Value.ToDecimal() < 0)
                {
                    problems.Add($"{where}: {quantity.Key} quantity is negative");
                }
            }

            foreach (var env in container.Env ?? [])
            {
                if (string.IsNullOrEmpty(env.Name))
                {
                    problems.Add($"{where}: an environment variable has no name");
                }
            }

            foreach (var probe in new[] { container.StartupProbe, container.LivenessProbe, container.ReadinessProbe })
            {
                if (probe?.HttpGet is { } get && int.TryParse(get.Port.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var probePort) && !ports.Contains(probePort) && (container.Ports ?? []).All(p => p.ContainerPort != probePort))
                {
                    problems.Add($"{where}: a probe targets port {probePort}, which no container of the pod declares");
                }
            }
        }

        foreach (var (key, _) in metadata?.Annotations ?? new Dictionary<string, string>())
        {
            if (key.Length > 253 + 1 + 63)
            {
                problems.Add($"annotation key '{key}' is too long");
            }
        }

        return problems;
    }
}
