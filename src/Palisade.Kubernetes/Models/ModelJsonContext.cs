using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Palisade.Kubernetes.Models;

/// <summary>
/// JSON for the few Kubernetes types injection and installation read and write, generated at build time. The client library's own
/// context covers every API type; referencing it would keep all of them in the native executable (16 MB of code and
/// metadata, ~19 MiB more resident memory for every node, which never uses them).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(KubernetesJson.Iso8601TimeSpanConverter), typeof(KubernetesJson.KubernetesDateTimeConverter), typeof(KubernetesJson.KubernetesDateTimeOffsetConverter)])]
[JsonSerializable(typeof(V1Pod))]
[JsonSerializable(typeof(V1Container))]
[JsonSerializable(typeof(V1Volume))]
[JsonSerializable(typeof(V1Namespace))]
[JsonSerializable(typeof(V1ServiceAccount))]
[JsonSerializable(typeof(V1Deployment))]
[JsonSerializable(typeof(V1PodDisruptionBudget))]
[JsonSerializable(typeof(V1Service))]
[JsonSerializable(typeof(V1Secret))]
[JsonSerializable(typeof(V1MutatingWebhookConfiguration))]
[JsonSerializable(typeof(V1ValidatingAdmissionPolicy))]
[JsonSerializable(typeof(V1ValidatingAdmissionPolicyBinding))]
internal sealed partial class ModelJsonContext : JsonSerializerContext;
