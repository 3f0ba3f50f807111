using System.Globalization;
using k8s.Models;

namespace Palisade.Kubernetes.Injection;

/// <summary>
/// Reads the pod's <c>palisade.io/*</c> annotations over the injector's defaults. Every bad value is reported (the
/// admission is denied with all of them), never silently replaced by a default.
/// </summary>
public static class SidecarSettingsReader
{
    private static readonly string[] Modes = ["off", "monitoring", "safe_blocking", "block"];
    private static readonly string[] Captures = ["iptables", "service"];
    private static readonly string[] LogFormats = ["text", "json"];
    private static readonly string[] Booleans = ["true", "false"];
    private const long MaxInspectionLimit = 1L << 30;

    public static SidecarSettings? Read(V1Pod pod, InjectionOptions options, out IReadOnlyList<AnnotationError> errors)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(options);
        var annotations = pod.Metadata?.Annotations ?? new Dictionary<string, string>();
        var found = new List<AnnotationError>();
        errors = found;

        var mode = OneOf(annotations, InjectionAnnotations.Mode, Modes, options.Mode, found);
        var capture = OneOf(annotations, InjectionAnnotations.Capture, Captures, options.Capture == CaptureMode.Service ? "service" : "iptables", found);
        var image = Image(annotations, options.Image, found);
        var declaredPorts = ApplicationContainers(pod).SelectMany(c => c.Ports ?? []).ToList();
        var applicationPort = Port(annotations, InjectionAnnotations.ApplicationPort, DetectApplicationPort(declaredPorts, options), found);
        var listenPort = Port(annotations, InjectionAnnotations.ListenPort, options.ListenPort, found);
        var adminPort = Port(annotations, InjectionAnnotations.AdminPort, options.AdminPort, found);
        CheckDistinct(annotations, applicationPort, listenPort, adminPort, declaredPorts, found);

        var cpuRequest = Quantity(annotations, InjectionAnnotations.CpuRequest, options.CpuRequest, found);
        var cpuLimit = Quantity(annotations, InjectionAnnotations.CpuLimit, options.CpuLimit, found);
        var memoryRequest = Quantity(annotations, InjectionAnnotations.MemoryRequest, options.MemoryRequest, found);
        var memoryLimit = Quantity(annotations, InjectionAnnotations.MemoryLimit, options.MemoryLimit, found);
        CheckRequestWithinLimit(annotations, InjectionAnnotations.CpuRequest, cpuRequest, cpuLimit, found);
        CheckRequestWithinLimit(annotations, InjectionAnnotations.MemoryRequest, memoryRequest, memoryLimit, found);

        var configMap = ConfigMapName(annotations, found);
        var inspectionLimit = InspectionLimit(annotations, found);
        bool? failOpen = annotations.ContainsKey(InjectionAnnotations.FailOpen)
            ? OneOf(annotations, InjectionAnnotations.FailOpen, Booleans, "true", found) == "true"
            : null;
        var blockStatus = BlockStatus(annotations, found);
        var logFormat = annotations.ContainsKey(InjectionAnnotations.LogFormat)
            ? OneOf(annotations, InjectionAnnotations.LogFormat, LogFormats, "text", found)
            : null;

        if (found.Count > 0)
        {
            return null;
        }

        return new SidecarSettings
        {
            Image = image,
            ImagePullPolicy = options.ImagePullPolicy,
            Mode = mode,
            Capture = capture == "service" ? CaptureMode.Service : CaptureMode.Iptables,
            ApplicationPort = applicationPort,
            ListenPort = listenPort,
            AdminPort = adminPort,
            CpuRequest = cpuRequest!,
            CpuLimit = cpuLimit,
            MemoryRequest = memoryRequest!,
            MemoryLimit = memoryLimit,
            ConfigMap = configMap,
            InspectionLimit = inspectionLimit,
            FailOpen = failOpen,
            BlockStatus = blockStatus,
            LogFormat = logFormat,
            NativeSidecar = options.NativeSidecar,
            RunAsUser = options.RunAsUser,
            PreStopSleepSeconds = options.PreStopSleepSeconds,
        };
    }

    /// <summary>The application's containers: everything but a sidecar left by an earlier injection.</summary>
    internal static IEnumerable<V1Container> ApplicationContainers(V1Pod pod) =>
        (pod.Spec?.Containers ?? []).Where(c => c.Name is not (SidecarRenderer.NodeContainerName or SidecarRenderer.IptablesContainerName));

    // The first container port named "http", else the first container port, else the configured default.
    private static int DetectApplicationPort(List<V1ContainerPort> ports, InjectionOptions options)
    {
        var tcp = ports.Where(p => p.Protocol is null or "TCP").ToList();
        return tcp.FirstOrDefault(p => p.Name == "http")?.ContainerPort
            ?? tcp.FirstOrDefault()?.ContainerPort
            ?? options.DefaultApplicationPort;
    }

    private static string OneOf(IDictionary<string, string> annotations, string key, string[] allowed, string fallback, List<AnnotationError> errors)
    {
        if (!annotations.TryGetValue(key, out var value))
        {
            return fallback;
        }

        var trimmed = value.Trim();
        if (allowed.Contains(trimmed, StringComparer.Ordinal))
        {
            return trimmed;
        }

        errors.Add(new AnnotationError(key, value, $"is not allowed: use one of {string.Join(", ", allowed)}"));
        return fallback;
    }

    private static string Image(IDictionary<string, string> annotations, string fallback, List<AnnotationError> errors)
    {
        if (!annotations.TryGetValue(InjectionAnnotations.Image, out var value))
        {
            return fallback;
        }

        if (value.Length == 0 || value.Any(char.IsWhiteSpace))
        {
            errors.Add(new AnnotationError(InjectionAnnotations.Image, value, "is not an image reference: use REGISTRY/NAME:TAG or NAME@sha256:DIGEST"));
            return fallback;
        }

        return value;
    }

    private static int Port(IDictionary<string, string> annotations, string key, int fallback, List<AnnotationError> errors)
    {
        if (!annotations.TryGetValue(key, out var value))
        {
            return fallback;
        }

        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535)
        {
            return port;
        }

        errors.Add(new AnnotationError(key, value, "is not a port: use a number from 1 to 65535"));
        return fallback;
    }

    private static void CheckDistinct(IDictionary<string, string> annotations, int application, int listen, int admin, List<V1ContainerPort> declared, List<AnnotationError> errors)
    {
        if (listen == application)
        {
            errors.Add(new AnnotationError(InjectionAnnotations.ListenPort, Shown(annotations, InjectionAnnotations.ListenPort, listen), $"is the application port: the node needs a port of its own (the application's is {application})"));
        }
        else if (declared.Any(p => p.ContainerPort == listen))
        {
            errors.Add(new AnnotationError(InjectionAnnotations.ListenPort, Shown(annotations, InjectionAnnotations.ListenPort, listen), "is already a port of one of the pod's containers: choose a free one"));
        }

        if (admin == listen || admin == application)
        {
            errors.Add(new AnnotationError(InjectionAnnotations.AdminPort, Shown(annotations, InjectionAnnotations.AdminPort, admin), "is the listen or the application port: the admin listener needs a port of its own"));
        }
        else if (declared.Any(p => p.ContainerPort == admin))
        {
            errors.Add(new AnnotationError(InjectionAnnotations.AdminPort, Shown(annotations, InjectionAnnotations.AdminPort, admin), "is already a port of one of the pod's containers: choose a free one"));
        }
    }

    private static string Shown(IDictionary<string, string> annotations, string key, int value) =>
        annotations.TryGetValue(key, out var text) ? text : value.ToString(CultureInfo.InvariantCulture) + " (default)";

    private static string? Quantity(IDictionary<string, string> annotations, string key, string? fallback, List<AnnotationError> errors)
    {
        if (!annotations.TryGetValue(key, out var value))
        {
            return fallback;
        }

        if (TryParseQuantity(value, out _))
        {
            return value.Trim();
        }

        errors.Add(new AnnotationError(key, value, "is not a quantity: use e.g. 100m or 0.5 for CPU, 64Mi or 1Gi for memory"));
        return fallback;
    }

    private static void CheckRequestWithinLimit(IDictionary<string, string> annotations, string requestKey, string? request, string? limit, List<AnnotationError> errors)
    {
        if (request is null || limit is null || !TryParseQuantity(request, out var r) || !TryParseQuantity(limit, out var l))
        {
            return;
        }

        if (r.ToDecimal() > l.ToDecimal())
        {
            errors.Add(new AnnotationError(requestKey, annotations.TryGetValue(requestKey, out var text) ? text : request + " (default)", $"is above the limit ({limit}): a request may not exceed its limit"));
        }
    }

    private static bool TryParseQuantity(string text, out ResourceQuantity quantity)
    {
        quantity = null!;
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return false;
        }

        try
        {
            quantity = new ResourceQuantity(trimmed);
            return quantity.ToDecimal() >= 0;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            return false;
        }
    }

    private static string? ConfigMapName(IDictionary<string, string> annotations, List<AnnotationError> errors)
    {
        if (!annotations.TryGetValue(InjectionAnnotations.ConfigMap, out var value))
        {
            return null;
        }

        if (KubernetesNames.IsDnsSubdomain(value))
        {
            return value;
        }

        errors.Add(new AnnotationError(InjectionAnnotations.ConfigMap, value, "is not a ConfigMap name: use lower-case letters, digits, '-' and '.', at most 253 characters"));
        return null;
    }

    private static long? InspectionLimit(IDictionary<string, string> annotations, List<AnnotationError> errors)
    {
        if (!annotations.TryGetValue(InjectionAnnotations.InspectionLimit, out var value))
        {
            return null;
        }

        if (TryParseQuantity(value, out var quantity))
        {
            var bytes = quantity.ToDecimal();
            if (bytes is >= 1 and <= MaxInspectionLimit && bytes == decimal.Truncate(bytes))
            {
                return (long)bytes;
            }
        }

        errors.Add(new AnnotationError(InjectionAnnotations.InspectionLimit, value, "is not a size: use bytes or a quantity such as 512Ki or 1Mi, at most 1Gi"));
        return null;
    }

    private static int? BlockStatus(IDictionary<string, string> annotations, List<AnnotationError> errors)
    {
        if (!annotations.TryGetValue(InjectionAnnotations.BlockStatus, out var value))
        {
            return null;
        }

        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 400 and <= 599)
        {
            return status;
        }

        errors.Add(new AnnotationError(InjectionAnnotations.BlockStatus, value, "is not a status code for a block response: use a number from 400 to 599"));
        return null;
    }
}
