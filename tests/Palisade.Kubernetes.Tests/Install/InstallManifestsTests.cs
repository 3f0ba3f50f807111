using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Palisade.Kubernetes.Install;
using Palisade.Kubernetes.Manifests;
using Palisade.Kubernetes.Models;

namespace Palisade.Kubernetes.Tests.Install;

public sealed class InstallManifestsTests
{
    private static readonly string GoldenPath = Path.Combine(RepositoryPaths.Root, "tests", "Palisade.Kubernetes.Tests", "Install", "testdata", "cert-manager.yaml");

    [Fact]
    public void Every_object_reads_back_as_its_typed_model_and_passes_the_schema_check()
    {
        var options = new InstallOptions();
        var objects = Printed(options, WebhookCertificates.Generate(options.ServiceHost, DateTimeOffset.UtcNow));

        Assert.Equal(
            ["Namespace", "ServiceAccount", "Secret", "Deployment", "PodDisruptionBudget", "Service", "MutatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "ValidatingAdmissionPolicyBinding"],
            objects.Select(o => o["kind"]!.GetValue<string>()));
        foreach (var obj in objects)
        {
            var metadata = ModelJson.FromNode<V1ObjectMeta>(obj["metadata"]!);
            Assert.True(Palisade.Kubernetes.Injection.KubernetesNames.IsDnsSubdomain(metadata.Name), metadata.Name);
            Assert.True(obj["kind"]!.GetValue<string>() is "Namespace" or "MutatingWebhookConfiguration" or "ValidatingAdmissionPolicy" or "ValidatingAdmissionPolicyBinding" || metadata.NamespaceProperty == "palisade-system");
        }

        var deployment = ModelJson.FromNode<V1Deployment>(Kind(objects, "Deployment"));
        Assert.Empty(PodSchema.Check(deployment.Spec.Template.Metadata, deployment.Spec.Template.Spec));
        Assert.Equal(2, deployment.Spec.Replicas);
        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.True(deployment.Spec.Template.Spec.SecurityContext.RunAsNonRoot);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Equal("HTTPS", container.ReadinessProbe.HttpGet.Scheme);
        Assert.False(ModelJson.FromNode<V1ServiceAccount>(Kind(objects, "ServiceAccount")).AutomountServiceAccountToken);

        var labels = deployment.Spec.Template.Metadata.Labels;
        Assert.All(deployment.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, labels[l.Key]));
        var pdb = ModelJson.FromNode<V1PodDisruptionBudget>(Kind(objects, "PodDisruptionBudget"));
        Assert.All(pdb.Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, labels[l.Key]));
        var service = ModelJson.FromNode<V1Service>(Kind(objects, "Service"));
        Assert.All(service.Spec.Selector, l => Assert.Equal(l.Value, labels[l.Key]));
        Assert.Equal(container.Ports.Single().Name, service.Spec.Ports.Single().TargetPort.Value);
        Assert.Equal(InstallOptions.TlsSecret, deployment.Spec.Template.Spec.Volumes.Single().Secret.SecretName);

        var webhooks = ModelJson.FromNode<V1MutatingWebhookConfiguration>(Kind(objects, "MutatingWebhookConfiguration")).Webhooks;
        Assert.Equal(["/inject", "/inject/namespace"], webhooks.Select(w => w.ClientConfig.Service.Path));
        Assert.All(webhooks, webhook =>
        {
            Assert.Equal("None", webhook.SideEffects);
            Assert.Equal(5, webhook.TimeoutSeconds);
            Assert.Equal("Fail", webhook.FailurePolicy);
            Assert.Equal(["v1"], webhook.AdmissionReviewVersions);
            Assert.Equal(service.Metadata.Name, webhook.ClientConfig.Service.Name);
            Assert.Equal(service.Metadata.NamespaceProperty, webhook.ClientConfig.Service.NamespaceProperty);
            Assert.Equal(service.Spec.Ports.Single().Port, webhook.ClientConfig.Service.Port);
            var excluded = Assert.Single(webhook.NamespaceSelector.MatchExpressions);
            Assert.Equal(("kubernetes.io/metadata.name", "NotIn"), (excluded.Key, excluded.OperatorProperty));
            Assert.Equal(["kube-system", "palisade-system"], excluded.Values);
            Assert.Equal(["pods"], webhook.Rules.Single().Resources);
            Assert.Equal(["CREATE"], webhook.Rules.Single().Operations);
        });
    }

    [Fact]
    public void W03_The_unprotected_pod_policy_selects_the_pods_the_webhooks_inject_and_only_warns()
    {
        var options = new InstallOptions { FailurePolicy = "Ignore" };
        var objects = Printed(options, WebhookCertificates.Generate(options.ServiceHost, DateTimeOffset.UtcNow));
        var webhooks = ModelJson.FromNode<V1MutatingWebhookConfiguration>(Kind(objects, "MutatingWebhookConfiguration")).Webhooks;
        var policy = ModelJson.FromNode<V1ValidatingAdmissionPolicy>(Kind(objects, "ValidatingAdmissionPolicy"));
        var bindings = objects.Where(o => o["kind"]!.GetValue<string>() == "ValidatingAdmissionPolicyBinding").Select(o => ModelJson.FromNode<V1ValidatingAdmissionPolicyBinding>(o)).ToList();

        Assert.Equal("Ignore", Assert.Single(webhooks.Select(w => w.FailurePolicy).Distinct()));
        Assert.Equal(webhooks.Count, bindings.Count);
        var webhookNodes = Kind(objects, "MutatingWebhookConfiguration")["webhooks"]!.AsArray();
        var bindingNodes = objects.Where(o => o["kind"]!.GetValue<string>() == "ValidatingAdmissionPolicyBinding").ToList();
        foreach (var (webhook, binding) in webhookNodes.Zip(bindingNodes))
        {
            Assert.Equal(policy.Metadata.Name, binding["spec"]!["policyName"]!.GetValue<string>());
            Assert.Equal("[\"Warn\",\"Audit\"]", binding["spec"]!["validationActions"]!.ToJsonString());
            Assert.Equal(webhook!["namespaceSelector"]!.ToJsonString(), binding["spec"]!["matchResources"]!["namespaceSelector"]!.ToJsonString());
            Assert.Equal(webhook["objectSelector"]!.ToJsonString(), binding["spec"]!["matchResources"]!["objectSelector"]!.ToJsonString());
        }

        Assert.Equal(["CREATE"], policy.Spec.MatchConstraints.ResourceRules.Single().Operations);
        Assert.Contains("'palisade'", Assert.Single(policy.Spec.Validations).Expression, StringComparison.Ordinal);
        Assert.Equal("Ignore", policy.Spec.FailurePolicy);
    }

    [Fact]
    public void The_webhooks_ca_bundle_verifies_the_certificate_the_injector_serves()
    {
        var options = new InstallOptions { Namespace = "waf" };
        var objects = Printed(options, WebhookCertificates.Generate(options.ServiceHost, DateTimeOffset.UtcNow));
        var secret = ModelJson.FromNode<V1Secret>(Kind(objects, "Secret"));
        var caBundle = ModelJson.FromNode<V1MutatingWebhookConfiguration>(Kind(objects, "MutatingWebhookConfiguration")).Webhooks[0].ClientConfig.CaBundle;

        Assert.Equal("kubernetes.io/tls", secret.Type);
        using var ca = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(caBundle));
        using var served = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(secret.Data["tls.crt"]), Encoding.ASCII.GetString(secret.Data["tls.key"]));
        Assert.True(served.HasPrivateKey);
        Assert.True(served.MatchesHostname("palisade-injector.waf.svc"));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(served), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public void With_cert_manager_the_output_is_the_golden_file()
    {
        var yaml = JsonToYaml.Join(InstallManifests.Render(new InstallOptions { CertManager = true, FailurePolicy = "Ignore" }, null).Select(o => JsonToYaml.Write(o)));
        if (RepositoryPaths.UpdateGoldens)
        {
            File.WriteAllText(GoldenPath, yaml);
        }

        Assert.True(File.ReadAllText(GoldenPath) == yaml, "Install/testdata/cert-manager.yaml is stale: run PALISADE_UPDATE_GOLDEN=1 dotnet test tests/Palisade.Kubernetes.Tests\n" + yaml);
        var objects = ManifestReader.Read(yaml).Select(d => d.Json!.AsObject()).ToList();
        var configuration = ModelJson.FromNode<V1MutatingWebhookConfiguration>(Kind(objects, "MutatingWebhookConfiguration"));
        Assert.Equal("palisade-system/palisade-injector", configuration.Metadata.Annotations["cert-manager.io/inject-ca-from"]);
        Assert.All(configuration.Webhooks, w => Assert.Null(w.ClientConfig.CaBundle));
        Assert.All(configuration.Webhooks, w => Assert.Equal("Ignore", w.FailurePolicy));
        Assert.DoesNotContain(objects, o => o["kind"]!.GetValue<string>() == "Secret");
        var certificate = objects.Single(o => o["kind"]!.GetValue<string>() == "Certificate" && o["metadata"]!["name"]!.GetValue<string>() == InstallOptions.Name);
        Assert.Equal(InstallOptions.TlsSecret, certificate["spec"]!["secretName"]!.GetValue<string>());
    }

    // The objects as printed: written as YAML and read back, as kubectl will.
    private static List<JsonObject> Printed(InstallOptions options, WebhookCertificates certificates) =>
        InstallManifests.Render(options, certificates).Select(o => ManifestReader.Read(JsonToYaml.Write(o))[0].Json!.AsObject()).ToList();

    private static JsonObject Kind(List<JsonObject> objects, string kind) => objects.Single(o => o["kind"]!.GetValue<string>() == kind);
}
