using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Palisade.Kubernetes.Injection;
using Palisade.Kubernetes.Patching;
using Palisade.Kubernetes.Webhook;

namespace Palisade.Kubernetes.Tests.Webhook;

/// <summary>The admission webhook over real HTTPS on loopback, with AdmissionReview bodies as the API server sends them.</summary>
public sealed class InjectorServerTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-injector-").FullName;
    private X509Certificate2 _certificate = null!;
    private InjectorServer _server = null!;
    private HttpClient _client = null!;

    private string CertificatePath => Path.Combine(_directory, "tls.crt");

    private string KeyPath => Path.Combine(_directory, "tls.key");

    public async ValueTask InitializeAsync()
    {
        _certificate = TestCertificate.Write(CertificatePath, KeyPath);
        _server = await InjectorServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), CertificatePath, KeyPath, new InjectionOptions());
        _client = ClientTrusting(() => _certificate);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
        _certificate.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_labelled_pod_is_allowed_with_a_patch_that_adds_the_sidecar()
    {
        var pod = Pod(labels: """{"palisade.io/inject":"enabled"}""");

        var response = await ReviewAsync("/inject", pod);

        Assert.True(response["allowed"]!.GetValue<bool>());
        Assert.Equal("uid-1", response["uid"]!.GetValue<string>());
        Assert.Equal("JSONPatch", response["patchType"]!.GetValue<string>());
        var patch = JsonNode.Parse(Convert.FromBase64String(response["patch"]!.GetValue<string>()))!.AsArray();
        var operations = patch.Select(op => new JsonPatchOperation(op!["op"]!.GetValue<string>(), op["path"]!.GetValue<string>(), op["value"]?.DeepClone())).ToList();
        var patched = JsonPatchApplier.Apply(pod.DeepClone(), operations)!;
        Assert.Equal(["palisade-iptables", "palisade"], patched["spec"]!["initContainers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("injected", patched["metadata"]!["annotations"]!["palisade.io/status"]!.GetValue<string>());
        Assert.Equal("injected", response["auditAnnotations"]!["palisade.io/injection"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_pod_left_alone_is_allowed_without_a_patch_and_with_the_reason()
    {
        var response = await ReviewAsync("/inject", Pod(labels: """{"app":"web"}"""));

        Assert.True(response["allowed"]!.GetValue<bool>());
        Assert.Null(response["patch"]);
        Assert.Equal("skipped: not-opted-in", response["auditAnnotations"]!["palisade.io/injection"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_namespace_route_injects_pods_without_the_label_but_not_those_that_opt_out()
    {
        var unlabelled = await ReviewAsync("/inject/namespace", Pod(labels: """{"app":"web"}"""));
        var optedOut = await ReviewAsync("/inject/namespace", Pod(labels: """{"palisade.io/inject":"disabled"}"""));

        Assert.NotNull(unlabelled["patch"]);
        Assert.Equal("skipped: disabled-by-label", optedOut["auditAnnotations"]!["palisade.io/injection"]!.GetValue<string>());
    }

    [Fact]
    public async Task W06_A_pod_with_a_bad_annotation_is_denied_with_a_message_naming_it()
    {
        var response = await ReviewAsync("/inject", Pod(labels: """{"palisade.io/inject":"enabled"}""", annotations: """{"palisade.io/mode":"blok"}"""));

        Assert.False(response["allowed"]!.GetValue<bool>());
        Assert.Equal(422, response["status"]!["code"]!.GetValue<int>());
        Assert.Contains("palisade.io/mode: 'blok' is not allowed: use one of off, monitoring, safe_blocking, block", response["status"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(response["patch"]);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("{}", "not an AdmissionReview")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"x"}}""", "admission.k8s.io/v1")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{}}""", "no uid")]
    [InlineData("""{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","kind":{"kind":"Pod"},"operation":"CREATE","object":{"spec":{"containers":"x"}}}}""", "not a pod")]
    public async Task W02_A_malformed_review_gets_400_with_the_problem(string body, string problem)
    {
        using var response = await _client.PostAsync(new Uri(_server.Address, "/inject"), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(problem, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task W02_A_body_over_the_cap_gets_413()
    {
        var body = "{\"pad\":\"" + new string('x', (int)InjectorServer.MaxBodyBytes) + "\"}";

        // Expect: 100-continue, so the refusal arrives before the client has sent what the server will not read.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.Address, "/inject")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Anything_but_a_pod_creation_passes_untouched()
    {
        var review = Review(Pod(labels: """{"palisade.io/inject":"enabled"}"""));
        review["request"]!["operation"] = "UPDATE";

        using var http = await _client.PostAsync(new Uri(_server.Address, "/inject"), new StringContent(review.ToJsonString(), Encoding.UTF8, "application/json"));
        var response = JsonNode.Parse(await http.Content.ReadAsStringAsync())!["response"]!;

        Assert.True(response["allowed"]!.GetValue<bool>());
        Assert.Null(response["patch"]);
    }

    [Fact]
    public async Task Health_and_metrics_answer_and_count_every_outcome()
    {
        await ReviewAsync("/inject", Pod(labels: """{"palisade.io/inject":"enabled"}"""));
        await ReviewAsync("/inject", Pod(labels: """{"app":"x"}"""));
        await _client.PostAsync(new Uri(_server.Address, "/inject"), new StringContent("nope"));

        Assert.Equal("ok\n", await _client.GetStringAsync(new Uri(_server.Address, "/healthz")));
        var metrics = await _client.GetStringAsync(new Uri(_server.Address, "/metrics"));
        Assert.Contains("palisade_injector_admissions_total{outcome=\"injected\",reason=\"\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("palisade_injector_admissions_total{outcome=\"skipped\",reason=\"not-opted-in\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("palisade_injector_admissions_total{outcome=\"invalid\",reason=\"400\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("palisade_injector_admission_duration_seconds_count 2", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task W05_A_renewed_key_pair_is_served_without_a_restart()
    {
        var renewed = TestCertificate.Write(CertificatePath + ".new", KeyPath + ".new", "CN=palisade-injector-renewed");
        File.Move(KeyPath + ".new", KeyPath, overwrite: true);
        File.Move(CertificatePath + ".new", CertificatePath, overwrite: true);
        File.SetLastWriteTimeUtc(CertificatePath, DateTime.UtcNow.AddSeconds(5));
        using var renewedClient = ClientTrusting(() => renewed);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                Assert.Equal("ok\n", await renewedClient.GetStringAsync(new Uri(_server.Address, "/healthz")));
                break;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    internal static JsonObject Pod(string labels, string? annotations = null)
    {
        var metadata = new JsonObject { ["generateName"] = "web-", ["namespace"] = "shop", ["labels"] = JsonNode.Parse(labels) };
        if (annotations is not null)
        {
            metadata["annotations"] = JsonNode.Parse(annotations);
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = metadata,
            ["spec"] = JsonNode.Parse("""{"containers":[{"name":"web","image":"nginx:1.27","ports":[{"name":"http","containerPort":8080}]}]}"""),
        };
    }

    internal static JsonObject Review(JsonObject pod, string ns = "shop") => new()
    {
        ["apiVersion"] = "admission.k8s.io/v1",
        ["kind"] = "AdmissionReview",
        ["request"] = new JsonObject
        {
            ["uid"] = "uid-1",
            ["kind"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["kind"] = "Pod" },
            ["resource"] = new JsonObject { ["group"] = "", ["version"] = "v1", ["resource"] = "pods" },
            ["namespace"] = ns,
            ["operation"] = "CREATE",
            ["userInfo"] = new JsonObject { ["username"] = "system:serviceaccount:kube-system:replicaset-controller" },
            ["object"] = pod.DeepClone(),
            ["dryRun"] = false,
        },
    };

    internal static HttpClient ClientTrusting(Func<X509Certificate2> certificate) => new(new SocketsHttpHandler
    {
        // Trust exactly the certificate the test wrote, as the API server trusts the caBundle.
        SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && presented.GetCertHashString() == certificate().GetCertHashString() },
        PooledConnectionLifetime = TimeSpan.Zero,
    });

    private async Task<JsonNode> ReviewAsync(string path, JsonObject pod)
    {
        using var response = await _client.PostAsync(new Uri(_server.Address, path), new StringContent(Review(pod).ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var review = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("AdmissionReview", review["kind"]!.GetValue<string>());
        return review["response"]!;
    }
}
