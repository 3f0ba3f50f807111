using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Palisade.Kubernetes.Injection;
using Palisade.Kubernetes.Install;
using Palisade.Kubernetes.Manifests;
using Palisade.Kubernetes.Models;
using Palisade.Kubernetes.Webhook;

namespace Palisade.Kubernetes.Tests.Deploy;

/// <summary>
/// The Helm chart <c>deploy/helm/palisade</c>, rendered by a real helm: it lints, it renders exactly the objects
/// <c>palisade install</c> prints for the same options (so the two cannot drift apart), its values are checked, and
/// the certificate it makes is one the injector serves and the webhook's caBundle trusts.
/// </summary>
public sealed class HelmChartTests
{
    public static TheoryData<string, string[], InstallOptions> SameOptions => new()
    {
        { "defaults", [], new InstallOptions() },
        {
            "every option",
            [
                "replicas=3", "failurePolicy=Ignore", "image.repository=registry.example/palisade", "image.tag=1.2.3",
                "sidecar.mode=block", "sidecar.capture=service", "sidecar.legacy=true", "excludedNamespaces={legacy,batch}",
            ],
            new InstallOptions
            {
                Namespace = "waf",
                Image = "registry.example/palisade:1.2.3",
                Replicas = 3,
                FailurePolicy = "Ignore",
                Injection = new InjectionOptions
                {
                    Image = "registry.example/palisade:1.2.3",
                    Mode = "block",
                    Capture = CaptureMode.Service,
                    NativeSidecar = false,
                    ControllerNamespace = "waf",
                    ExcludedNamespaces = ["legacy", "batch"],
                },
            }
        },
        { "cert-manager", ["certManager.enabled=true"], new InstallOptions { CertManager = true } },
        { "no unprotected-pod policy", ["unprotectedPodPolicy.enabled=false"], new InstallOptions { UnprotectedPodPolicy = false } },
        { "one replica", ["replicas=1", "sidecar.image=registry.example/node:2"], new InstallOptions { Replicas = 1, Injection = new InjectionOptions { Image = "registry.example/node:2" } } },
    };

    [Theory]
    [InlineData]
    [InlineData("certManager.enabled=true")]
    [InlineData("replicas=1", "excludedNamespaces={a,b}", "sidecar.legacy=true")]
    public void The_chart_lints_strictly(params string[] values)
    {
        var (exitCode, output, error) = Helm.Run(["lint", "--strict", Helm.Chart, .. values.SelectMany(v => new[] { "--set", v })]);

        Assert.True(exitCode == 0, output + error);
        Assert.Contains("0 chart(s) failed", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(SameOptions))]
    public void The_chart_renders_what_palisade_install_prints(string name, string[] values, InstallOptions options)
    {
        var chart = Objects(Helm.Template(options.Namespace, values));
        var certificates = options.CertManager ? null : WebhookCertificates.Generate(options.ServiceHost, DateTimeOffset.UtcNow);
        var install = InstallManifests.Render(options, certificates).Select(o => ManifestReader.Read(JsonToYaml.Write(o))[0].Json!.AsObject()).ToList();

        // Helm installs into the release's namespace (--create-namespace), and the chart keeps its CA in a Secret.
        var expected = install.Where(o => Kind(o) != "Namespace").Select(Comparable).ToDictionary(Key);
        var actual = chart.Where(o => !(Kind(o) == "Secret" && Name(o) == "palisade-injector-ca")).Select(Comparable).ToDictionary(Key);

        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, obj) in expected)
        {
            Assert.True(JsonNode.DeepEquals(obj, actual[key]), $"{name}: {key} differs.\npalisade install:\n{JsonToYaml.Write(obj)}\nhelm template:\n{JsonToYaml.Write(actual[key])}");
        }
    }

    [Fact]
    public void Every_rendered_object_reads_as_its_typed_model_and_the_pod_passes_the_schema_check()
    {
        var objects = Objects(Helm.Template("palisade-system", "podAnnotations.team=security", "nodeSelector.pool=system", "priorityClassName=system-cluster-critical"));

        Assert.Equal(
            ["Deployment", "MutatingWebhookConfiguration", "PodDisruptionBudget", "Secret", "Secret", "Service", "ServiceAccount", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "ValidatingAdmissionPolicyBinding"],
            objects.Select(Kind).Order());
        foreach (var obj in objects)
        {
            var metadata = ModelJson.FromNode<V1ObjectMeta>(obj["metadata"]!);
            Assert.True(KubernetesNames.IsDnsSubdomain(metadata.Name), metadata.Name);
            Assert.All(metadata.Labels, l => Assert.True(l.Value.Length <= 63, l.Key));
        }

        var deployment = ModelJson.FromNode<V1Deployment>(objects.Single(o => Kind(o) == "Deployment"));
        Assert.Empty(PodSchema.Check(deployment.Spec.Template.Metadata, deployment.Spec.Template.Spec));
        Assert.Equal("security", deployment.Spec.Template.Metadata.Annotations["team"]);
        Assert.Equal("system", deployment.Spec.Template.Spec.NodeSelector["pool"]);
        Assert.Equal("system-cluster-critical", deployment.Spec.Template.Spec.PriorityClassName);
        Assert.Equal("ghcr.io/palisade-waf/palisade:0.1.0", deployment.Spec.Template.Spec.Containers.Single().Image);
        ModelJson.FromNode<V1MutatingWebhookConfiguration>(objects.Single(o => Kind(o) == "MutatingWebhookConfiguration"));
        ModelJson.FromNode<V1ValidatingAdmissionPolicy>(objects.Single(o => Kind(o) == "ValidatingAdmissionPolicy"));
        Assert.All(objects.Where(o => Kind(o) == "ValidatingAdmissionPolicyBinding"), o => ModelJson.FromNode<V1ValidatingAdmissionPolicyBinding>(o));
    }

    [Fact]
    public void A_digest_pins_the_injector_and_the_sidecar_image()
    {
        const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        var deployment = ModelJson.FromNode<V1Deployment>(Objects(Helm.Template("palisade-system", "image.digest=" + Digest)).Single(o => Kind(o) == "Deployment"));

        var container = deployment.Spec.Template.Spec.Containers.Single();
        Assert.Equal("ghcr.io/palisade-waf/palisade@" + Digest, container.Image);
        Assert.Equal("ghcr.io/palisade-waf/palisade@" + Digest, container.Args[container.Args.IndexOf("--image") + 1]);
    }

    [Theory]
    [InlineData("failurePolicy=Maybe", "failurePolicy")]
    [InlineData("sidecar.mode=blok", "mode")]
    [InlineData("sidecar.capture=ebpf", "capture")]
    [InlineData("replicas=0", "replicas")]
    [InlineData("replica=3", "replica")]
    [InlineData("excludedNamespaces={Bad_Name}", "excludedNamespaces")]
    [InlineData("image.digest=latest", "digest")]
    [InlineData("resources.limits.memory=lots", "memory")]
    public void A_bad_value_is_refused_naming_it(string value, string named)
    {
        var (exitCode, _, error) = Helm.Run(Helm.TemplateArguments("palisade-system", [value]));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("values don't meet the specifications of the schema", error, StringComparison.Ordinal);
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_injector_serves_the_charts_certificate_and_the_ca_bundle_trusts_it()
    {
        var objects = Objects(Helm.Template("waf"));
        var tls = ModelJson.FromNode<V1Secret>(objects.Single(o => Kind(o) == "Secret" && Name(o) == InstallOptions.TlsSecret));
        var ca = ModelJson.FromNode<V1Secret>(objects.Single(o => Kind(o) == "Secret" && Name(o) == "palisade-injector-ca"));
        var webhooks = ModelJson.FromNode<V1MutatingWebhookConfiguration>(objects.Single(o => Kind(o) == "MutatingWebhookConfiguration")).Webhooks;
        var caBundle = webhooks[0].ClientConfig.CaBundle;
        Assert.All(webhooks, w => Assert.Equal(caBundle, w.ClientConfig.CaBundle));
        Assert.Equal(caBundle, tls.Data["ca.crt"]);
        Assert.Equal(caBundle, ca.Data["tls.crt"]);

        var directory = Directory.CreateTempSubdirectory("palisade-chart-tls-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(directory, "tls.crt"), tls.Data["tls.crt"]);
            File.WriteAllBytes(Path.Combine(directory, "tls.key"), tls.Data["tls.key"]);
            await using var server = await InjectorServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), Path.Combine(directory, "tls.crt"), Path.Combine(directory, "tls.key"), new InjectionOptions { ControllerNamespace = "waf" });
            using var trusted = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(caBundle));

            // As the API server calls it: by the Service's DNS name, trusting only the caBundle.
            using var client = new HttpClient(new SocketsHttpHandler
            {
                ConnectCallback = async (_, cancel) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    await socket.ConnectAsync(IPAddress.Loopback, server.Address.Port, cancel);
                    return new NetworkStream(socket, ownsSocket: true);
                },
                SslOptions = new SslClientAuthenticationOptions
                {
                    CertificateChainPolicy = new X509ChainPolicy
                    {
                        TrustMode = X509ChainTrustMode.CustomRootTrust,
                        CustomTrustStore = { trusted },
                        RevocationMode = X509RevocationMode.NoCheck,
                    },
                },
            });
            var review = Webhook.InjectorServerTests.Review(Webhook.InjectorServerTests.Pod(labels: """{"palisade.io/inject":"enabled"}"""));
            var service = webhooks[0].ClientConfig.Service;
            using var response = await client.PostAsync(
                new Uri($"https://{service.Name}.{service.NamespaceProperty}.svc:{service.Port}{service.Path}"),
                new StringContent(review.ToJsonString(), Encoding.UTF8, "application/json"),
                TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["response"]!;
            Assert.True(answer["allowed"]!.GetValue<bool>());
            Assert.NotNull(answer["patch"]);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_namespace_is_the_releases_everywhere_it_is_named()
    {
        var objects = Objects(Helm.Template("edge-waf"));

        string[] clusterScoped = ["MutatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"];
        Assert.All(objects.Where(o => !clusterScoped.Contains(Kind(o))), o => Assert.Equal("edge-waf", o["metadata"]!["namespace"]!.GetValue<string>()));
        var bindings = objects.Where(o => Kind(o) == "ValidatingAdmissionPolicyBinding").Select(o => ModelJson.FromNode<V1ValidatingAdmissionPolicyBinding>(o)).ToList();
        Assert.All(bindings, b => Assert.Equal(["kube-system", "edge-waf"], b.Spec.MatchResources.NamespaceSelector.MatchExpressions.Single().Values));
        var webhooks = ModelJson.FromNode<V1MutatingWebhookConfiguration>(objects.Single(o => Kind(o) == "MutatingWebhookConfiguration")).Webhooks;
        Assert.All(webhooks, w => Assert.Equal("edge-waf", w.ClientConfig.Service.NamespaceProperty));
        Assert.All(webhooks, w => Assert.Equal(["kube-system", "edge-waf"], w.NamespaceSelector.MatchExpressions.Single().Values));
        using var served = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(ModelJson.FromNode<V1Secret>(objects.Single(o => Name(o) == InstallOptions.TlsSecret)).Data["tls.crt"]));
        Assert.True(served.MatchesHostname("palisade-injector.edge-waf.svc"));
        Assert.True(served.MatchesHostname("palisade-injector.edge-waf.svc.cluster.local"));
        Assert.False(served.MatchesHostname("palisade-injector.palisade-system.svc"));
    }

    private static List<JsonObject> Objects(string yaml) =>
        ManifestReader.Read(yaml).Where(d => d.Json is not null).Select(d => d.Json!.AsObject()).ToList();

    private static string Kind(JsonObject obj) => obj["kind"]!.GetValue<string>();

    private static string Name(JsonObject obj) => obj["metadata"]!["name"]!.GetValue<string>();

    private static string Key(JsonObject obj) => Kind(obj) + "/" + Name(obj);

    // What may differ between the two: who manages the objects (Helm's own labels) and the key material.
    private static JsonObject Comparable(JsonObject obj)
    {
        var copy = obj.DeepClone().AsObject();
        foreach (var labels in new[] { copy["metadata"]?["labels"], copy["spec"]?["template"]?["metadata"]?["labels"] })
        {
            if (labels is JsonObject map)
            {
                foreach (var key in new[] { "app.kubernetes.io/managed-by", "app.kubernetes.io/instance", "app.kubernetes.io/version", "helm.sh/chart" })
                {
                    map.Remove(key);
                }
            }
        }

        if (Kind(copy) == "Secret" && copy["data"] is JsonObject data)
        {
            foreach (var key in data.Select(p => p.Key).ToList())
            {
                data[key] = "(key material)";
            }
        }

        foreach (var webhook in copy["webhooks"]?.AsArray() ?? [])
        {
            if (webhook!["clientConfig"]!.AsObject().ContainsKey("caBundle"))
            {
                webhook["clientConfig"]!["caBundle"] = "(ca bundle)";
            }
        }

        return copy;
    }
}
