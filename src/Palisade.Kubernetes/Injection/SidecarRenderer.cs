using System.Globalization;
using k8s.Models;

namespace Palisade.Kubernetes.Injection;

/// <summary>
/// Renders the sidecar as typed objects from validated settings: the node (a native sidecar, or a plain container
/// for clusters older than 1.29) and, in iptables capture mode, the init container that redirects the application
/// port to it. Both run with the least privilege they can: the node as non-root with a read-only root filesystem
/// and no capabilities; the iptables step with only NET_ADMIN and NET_RAW.
/// </summary>
public static class SidecarRenderer
{
    public const string NodeContainerName = "palisade";
    public const string IptablesContainerName = "palisade-iptables";
    public const string ListenPortName = "palisade-http";
    public const string AdminPortName = "palisade-admin";
    public const string ConfigVolumeName = "palisade-config";
    public const string ConfigDirectory = "/etc/palisade";
    public const string XtablesVolumeName = "palisade-xtables";
    public const string DataVolumeName = "palisade-data";
    public const string DataDirectory = "/var/lib/palisade";

    public static RenderedSidecar Render(SidecarSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        // The attack log's SQLite file: the root filesystem is read-only, and the log lives as long as the pod.
        var volumes = new List<V1Volume>
        {
            new() { Name = DataVolumeName, EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("512Mi") } },
        };
        if (settings.ConfigMap is not null)
        {
            volumes.Add(new V1Volume
            {
                Name = ConfigVolumeName,
                ConfigMap = new V1ConfigMapVolumeSource { Name = settings.ConfigMap },
            });
        }

        V1Container? iptables = null;
        if (settings.Capture == CaptureMode.Iptables)
        {
            volumes.Add(new V1Volume { Name = XtablesVolumeName, EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory" } });
            iptables = RenderIptables(settings);
        }

        return new RenderedSidecar(RenderNode(settings), iptables, volumes);
    }

    private static V1Container RenderNode(SidecarSettings settings)
    {
        var env = new List<V1EnvVar>
        {
            // Dual-stack: the iptables step redirects IPv6 too, so the node must take IPv6 connections as well.
            Env("PALISADE_LISTEN", "[::]:" + Text(settings.ListenPort)),
            Env("PALISADE_UPSTREAM", "http://127.0.0.1:" + Text(settings.ApplicationPort)),
            Env("PALISADE_ADMIN_LISTEN", "0.0.0.0:" + Text(settings.AdminPort)),
            Env("PALISADE_MODE", settings.Mode),
            Env("PALISADE_ATTACK_LOG", DataDirectory + "/attacks.db"),
        };
        if (settings.InspectionLimit is { } limit)
        {
            env.Add(Env("PALISADE_INSPECTION_LIMIT", limit.ToString(CultureInfo.InvariantCulture)));
        }

        if (settings.FailOpen is { } failOpen)
        {
            env.Add(Env("PALISADE_FAIL_OPEN", failOpen ? "true" : "false"));
        }

        if (settings.BlockStatus is { } status)
        {
            env.Add(Env("PALISADE_BLOCK_STATUS", Text(status)));
        }

        if (settings.LogFormat is { } format)
        {
            env.Add(Env("PALISADE_LOG_FORMAT", format));
        }

        var mounts = new List<V1VolumeMount> { new() { Name = DataVolumeName, MountPath = DataDirectory } };
        if (settings.ConfigMap is not null)
        {
            env.Add(Env("PALISADE_CONFIG", ConfigDirectory + "/palisade.yaml"));
            mounts.Add(new V1VolumeMount { Name = ConfigVolumeName, MountPath = ConfigDirectory, ReadOnlyProperty = true });
        }

        return new V1Container
        {
            Name = NodeContainerName,
            Image = settings.Image,
            ImagePullPolicy = settings.ImagePullPolicy,
            Args = ["node"],
            Env = env,
            Ports =
            [
                new V1ContainerPort { Name = ListenPortName, ContainerPort = settings.ListenPort, Protocol = "TCP" },
                new V1ContainerPort { Name = AdminPortName, ContainerPort = settings.AdminPort, Protocol = "TCP" },
            ],
            // A native sidecar: started before the application's containers, stopped after them.
            RestartPolicy = settings.NativeSidecar ? "Always" : null,
            StartupProbe = Probe("/healthz", settings.AdminPort, periodSeconds: 1, failureThreshold: 30),
            LivenessProbe = Probe("/healthz", settings.AdminPort, periodSeconds: 10, failureThreshold: 3),
            ReadinessProbe = Probe("/readyz", settings.AdminPort, periodSeconds: 5, failureThreshold: 2),
            // Keep serving while the endpoints controller removes the pod; SIGTERM then drains in-flight requests.
            Lifecycle = new V1Lifecycle { PreStop = new V1LifecycleHandler { Sleep = new V1SleepAction { Seconds = settings.PreStopSleepSeconds } } },
            Resources = Resources(settings),
            SecurityContext = new V1SecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = settings.RunAsUser,
                RunAsGroup = settings.RunAsUser,
                ReadOnlyRootFilesystem = true,
                AllowPrivilegeEscalation = false,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            VolumeMounts = mounts,
            TerminationMessagePolicy = "FallbackToLogsOnError",
        };
    }

    private static V1Container RenderIptables(SidecarSettings settings) => new()
    {
        Name = IptablesContainerName,
        Image = settings.Image,
        ImagePullPolicy = settings.ImagePullPolicy,
        Args = ["iptables", "--application-port", Text(settings.ApplicationPort), "--node-port", Text(settings.ListenPort)],
        Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("10m"), ["memory"] = new("16Mi") },
            Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("64Mi") },
        },
        // Changing the pod's netfilter rules needs root in the pod's network namespace and these two capabilities only.
        SecurityContext = new V1SecurityContext
        {
            RunAsNonRoot = false,
            RunAsUser = 0,
            RunAsGroup = 0,
            ReadOnlyRootFilesystem = true,
            AllowPrivilegeEscalation = false,
            Capabilities = new V1Capabilities { Add = ["NET_ADMIN", "NET_RAW"], Drop = ["ALL"] },
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
        // iptables takes its lock under /run; the root filesystem stays read-only.
        VolumeMounts = [new V1VolumeMount { Name = XtablesVolumeName, MountPath = "/run" }],
        TerminationMessagePolicy = "FallbackToLogsOnError",
    };

    private static V1ResourceRequirements Resources(SidecarSettings settings)
    {
        var requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(settings.CpuRequest), ["memory"] = new(settings.MemoryRequest) };
        var limits = new Dictionary<string, ResourceQuantity>();
        if (settings.CpuLimit is not null)
        {
            limits["cpu"] = new(settings.CpuLimit);
        }

        if (settings.MemoryLimit is not null)
        {
            limits["memory"] = new(settings.MemoryLimit);
        }

        return new V1ResourceRequirements { Requests = requests, Limits = limits.Count > 0 ? limits : null };
    }

    private static V1Probe Probe(string path, int port, int periodSeconds, int failureThreshold) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = path, Port = port },
        PeriodSeconds = periodSeconds,
        FailureThreshold = failureThreshold,
        TimeoutSeconds = 1,
    };

    private static V1EnvVar Env(string name, string value) => new() { Name = name, Value = value };

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
