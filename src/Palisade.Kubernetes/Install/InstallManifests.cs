using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Palisade.Kubernetes.Injection;
using Palisade.Kubernetes.Models;

namespace Palisade.Kubernetes.Install;

/// <summary>
/// The controller's objects, in apply order: Namespace, ServiceAccount, TLS Secret (or cert-manager's Issuers and
/// Certificates), Deployment, PodDisruptionBudget (with more than one replica), Service, MutatingWebhookConfiguration, and the
/// ValidatingAdmissionPolicy with its bindings that flags pods created without the sidecar. The injector reads nothing
/// from the API server, so its ServiceAccount has no role bound and mounts no token: least privilege is none.
/// </summary>
public static class InstallManifests
{
    private const string ManagedBy = "palisade-install";
    private const int HttpsPort = 8443;
    private const string TlsDirectory = "/etc/palisade/tls";

    /// <summary>The objects as JSON; <paramref name="certificates"/> is required unless cert-manager issues them.</summary>
    public static IReadOnlyList<JsonObject> Render(InstallOptions options, WebhookCertificates? certificates)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.CertManager && certificates is null)
        {
            throw new ArgumentException("certificates are needed unless cert-manager issues them", nameof(certificates));
        }

        var objects = new List<JsonObject>
        {
            ModelJson.ToNode(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = Metadata(options.Namespace, null) }),
            ModelJson.ToNode(new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = Metadata(InstallOptions.Name, options.Namespace), AutomountServiceAccountToken = false }),
        };
        objects.AddRange(options.CertManager ? CertManagerObjects(options) : [ModelJson.ToNode(Secret(options, certificates!))]);
        objects.Add(ModelJson.ToNode(Deployment(options)));
        if (options.Replicas > 1)
        {
            // With one replica a budget would block every node drain.
            objects.Add(ModelJson.ToNode(new V1PodDisruptionBudget
            {
                ApiVersion = "policy/v1",
                Kind = "PodDisruptionBudget",
                Metadata = Metadata(InstallOptions.Name, options.Namespace),
                Spec = new V1PodDisruptionBudgetSpec { MinAvailable = 1, Selector = new V1LabelSelector { MatchLabels = Selector() } },
            }));
        }

        objects.Add(ModelJson.ToNode(new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = Metadata(InstallOptions.Name, options.Namespace),
            Spec = new V1ServiceSpec
            {
                Selector = Selector(),
                Ports = [new V1ServicePort { Name = "https", Port = 443, TargetPort = "https", Protocol = "TCP" }],
            },
        }));
        objects.Add(ModelJson.ToNode(WebhookConfiguration(options, certificates)));

        if (!options.UnprotectedPodPolicy)
        {
            return objects;
        }

        // The API server itself flags a pod of the injection scope created without the sidecar (failurePolicy Ignore).
        var policy = UnprotectedPodPolicy.Policy();
        policy.Metadata = Metadata(policy.Metadata.Name, null);
        objects.Add(ModelJson.ToNode(policy));
        foreach (var binding in UnprotectedPodPolicy.Bindings(options))
        {
            binding.Metadata = Metadata(binding.Metadata.Name, null);
            objects.Add(ModelJson.ToNode(binding));
        }

        return objects;
    }

    private static V1Secret Secret(InstallOptions options, WebhookCertificates certificates) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = Metadata(InstallOptions.TlsSecret, options.Namespace),
        Type = "kubernetes.io/tls",
        Data = new Dictionary<string, byte[]>
        {
            ["tls.crt"] = Encoding.ASCII.GetBytes(certificates.CertificatePem),
            ["tls.key"] = Encoding.ASCII.GetBytes(certificates.KeyPem),
            ["ca.crt"] = Encoding.ASCII.GetBytes(certificates.CaPem),
        },
    };

    private static V1Deployment Deployment(InstallOptions options)
    {
        var sidecar = options.Injection;
        var args = new List<string>
        {
            "injector", "--listen", $"0.0.0.0:{HttpsPort}", "--tls-cert", TlsDirectory + "/tls.crt", "--tls-key", TlsDirectory + "/tls.key",
            "--image", sidecar.Image, "--mode", sidecar.Mode, "--capture", sidecar.Capture == CaptureMode.Service ? "service" : "iptables",
        };
        if (!sidecar.NativeSidecar)
        {
            args.Add("--legacy-sidecar");
        }

        foreach (var excluded in sidecar.ExcludedNamespaces)
        {
            args.Add("--exclude-namespace");
            args.Add(excluded);
        }

        var probe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/healthz", Port = "https", Scheme = "HTTPS" }, PeriodSeconds = 10 };
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = Metadata(InstallOptions.Name, options.Namespace),
            Spec = new V1DeploymentSpec
            {
                Replicas = options.Replicas,
                Selector = new V1LabelSelector { MatchLabels = Selector() },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = Labels() },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = InstallOptions.Name,
                        AutomountServiceAccountToken = false,
                        // Replicas on different nodes where the cluster allows, so one node's loss leaves the webhook up.
                        Affinity = new V1Affinity
                        {
                            PodAntiAffinity = new V1PodAntiAffinity
                            {
                                PreferredDuringSchedulingIgnoredDuringExecution =
                                [
                                    new V1WeightedPodAffinityTerm
                                    {
                                        Weight = 100,
                                        PodAffinityTerm = new V1PodAffinityTerm { TopologyKey = "kubernetes.io/hostname", LabelSelector = new V1LabelSelector { MatchLabels = Selector() } },
                                    },
                                ],
                            },
                        },
                        SecurityContext = new V1PodSecurityContext { RunAsNonRoot = true, RunAsUser = sidecar.RunAsUser, RunAsGroup = sidecar.RunAsUser, SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" } },
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "injector",
                                Image = options.Image,
                                ImagePullPolicy = sidecar.ImagePullPolicy,
                                Args = args,
                                Env = [new V1EnvVar { Name = "POD_NAMESPACE", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } } }],
                                Ports = [new V1ContainerPort { Name = "https", ContainerPort = HttpsPort, Protocol = "TCP" }],
                                ReadinessProbe = probe,
                                LivenessProbe = probe,
                                Resources = new V1ResourceRequirements
                                {
                                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("50m"), ["memory"] = new("64Mi") },
                                    Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("256Mi") },
                                },
                                SecurityContext = new V1SecurityContext
                                {
                                    AllowPrivilegeEscalation = false,
                                    ReadOnlyRootFilesystem = true,
                                    Capabilities = new V1Capabilities { Drop = ["ALL"] },
                                },
                                VolumeMounts = [new V1VolumeMount { Name = "tls", MountPath = TlsDirectory, ReadOnlyProperty = true }],
                            },
                        ],
                        Volumes = [new V1Volume { Name = "tls", Secret = new V1SecretVolumeSource { SecretName = InstallOptions.TlsSecret } }],
                    },
                },
            },
        };
    }

    private static V1MutatingWebhookConfiguration WebhookConfiguration(InstallOptions options, WebhookCertificates? certificates)
    {
        var caBundle = certificates is null ? null : Encoding.ASCII.GetBytes(certificates.CaPem);
        V1MutatingWebhook Webhook(string name, string path, V1LabelSelector namespaces, V1LabelSelector objects) => new()
        {
            Name = name,
            ClientConfig = new Admissionregistrationv1WebhookClientConfig
            {
                Service = new Admissionregistrationv1ServiceReference { Name = InstallOptions.Name, NamespaceProperty = options.Namespace, Path = path, Port = 443 },
                CaBundle = caBundle,
            },
            Rules = [new V1RuleWithOperations { Operations = ["CREATE"], ApiGroups = [""], ApiVersions = ["v1"], Resources = ["pods"], Scope = "Namespaced" }],
            NamespaceSelector = namespaces,
            ObjectSelector = objects,
            FailurePolicy = options.FailurePolicy,
            SideEffects = "None",
            TimeoutSeconds = 5,
            AdmissionReviewVersions = ["v1"],
            MatchPolicy = "Equivalent",
            ReinvocationPolicy = "Never",
        };

        var metadata = Metadata(InstallOptions.Name, null);
        if (options.CertManager)
        {
            metadata.Annotations = new Dictionary<string, string> { ["cert-manager.io/inject-ca-from"] = $"{options.Namespace}/{InstallOptions.Name}" };
        }

        return new V1MutatingWebhookConfiguration
        {
            ApiVersion = "admissionregistration.k8s.io/v1",
            Kind = "MutatingWebhookConfiguration",
            Metadata = metadata,
            Webhooks =
            [
                // Pods that carry the opt-in label, in any namespace but the excluded ones; then pods without a label
                // of their own, in namespaces that opted in.
                .. InjectionScope.All(options).Select(scope => Webhook($"{scope.Name}.inject.palisade.io", scope.Name == "pod" ? "/inject" : "/inject/namespace", scope.Namespaces, scope.Pods)),
            ],
        };
    }

    // cert-manager: a self-signed issuer makes the CA, a CA issuer signs the serving certificate into the TLS Secret,
    // and cert-manager's CA injector fills the webhook's caBundle (the annotation on the configuration).
    private static IEnumerable<JsonObject> CertManagerObjects(InstallOptions options)
    {
        var ns = options.Namespace;
        JsonObject Meta(string name) => new() { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject(Labels().Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))) };
        yield return new JsonObject { ["apiVersion"] = "cert-manager.io/v1", ["kind"] = "Issuer", ["metadata"] = Meta("palisade-selfsigned"), ["spec"] = new JsonObject { ["selfSigned"] = new JsonObject() } };
        yield return new JsonObject
        {
            ["apiVersion"] = "cert-manager.io/v1",
            ["kind"] = "Certificate",
            ["metadata"] = Meta("palisade-injector-ca"),
            ["spec"] = new JsonObject
            {
                ["isCA"] = true,
                ["commonName"] = "palisade-injector-ca",
                ["secretName"] = "palisade-injector-ca",
                ["duration"] = "87600h",
                ["privateKey"] = new JsonObject { ["algorithm"] = "ECDSA", ["size"] = 256 },
                ["issuerRef"] = new JsonObject { ["name"] = "palisade-selfsigned", ["kind"] = "Issuer" },
            },
        };
        yield return new JsonObject { ["apiVersion"] = "cert-manager.io/v1", ["kind"] = "Issuer", ["metadata"] = Meta("palisade-ca"), ["spec"] = new JsonObject { ["ca"] = new JsonObject { ["secretName"] = "palisade-injector-ca" } } };
        yield return new JsonObject
        {
            ["apiVersion"] = "cert-manager.io/v1",
            ["kind"] = "Certificate",
            ["metadata"] = Meta(InstallOptions.Name),
            ["spec"] = new JsonObject
            {
                ["secretName"] = InstallOptions.TlsSecret,
                ["dnsNames"] = new JsonArray(options.ServiceHost, options.ServiceHost + ".cluster.local"),
                ["duration"] = "8760h",
                ["renewBefore"] = "720h",
                ["privateKey"] = new JsonObject { ["algorithm"] = "ECDSA", ["size"] = 256, ["rotationPolicy"] = "Always" },
                ["usages"] = new JsonArray("server auth", "digital signature"),
                ["issuerRef"] = new JsonObject { ["name"] = "palisade-ca", ["kind"] = "Issuer" },
            },
        };
    }

    private static V1ObjectMeta Metadata(string name, string? ns) => new() { Name = name, NamespaceProperty = ns, Labels = Labels() };

    private static Dictionary<string, string> Labels() => new()
    {
        ["app.kubernetes.io/name"] = "palisade",
        ["app.kubernetes.io/component"] = "injector",
        ["app.kubernetes.io/managed-by"] = ManagedBy,
    };

    private static Dictionary<string, string> Selector() => new() { ["app.kubernetes.io/name"] = "palisade", ["app.kubernetes.io/component"] = "injector" };
}
