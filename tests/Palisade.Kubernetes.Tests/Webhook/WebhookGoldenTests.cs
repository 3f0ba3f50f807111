using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Palisade.Kubernetes.Injection;
using Palisade.Kubernetes.Manifests;
using Palisade.Kubernetes.Patching;
using Palisade.Kubernetes.Tests.Manifests;
using Palisade.Kubernetes.Webhook;

namespace Palisade.Kubernetes.Tests.Webhook;

/// <summary>
/// The golden cases through the webhook: every pod template of every case is sent over HTTPS as the API server would
/// send the pod, the returned patch is applied to it, and the result must be the template <c>palisade inject</c>
/// printed (which <see cref="ManifestInjectorGoldenTests"/> holds to the golden file); a denial must carry the same
/// message.
/// </summary>
public sealed class WebhookGoldenTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-webhook-golden-").FullName;

    public static TheoryData<string> Cases() => ManifestInjectorGoldenTests.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_webhook_makes_the_same_pods_as_palisade_inject(string name)
    {
        var input = File.ReadAllText(Path.Combine(ManifestInjectorGoldenTests.Folder, name + ".yaml"));
        var (options, all) = ManifestInjectorGoldenTests.OptionsFor(input);
        var offline = ManifestInjector.Inject(input, options, all);
        var inputs = Templates(input).ToList();
        var outputs = offline.Denied ? [] : Templates(offline.Yaml).ToList();
        Assert.Equal(offline.Workloads.Count, inputs.Count);

        using var certificate = TestCertificate.Write(Path.Combine(_directory, "tls.crt"), Path.Combine(_directory, "tls.key"));
        await using var server = await InjectorServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), Path.Combine(_directory, "tls.crt"), Path.Combine(_directory, "tls.key"), options);
        using var client = InjectorServerTests.ClientTrusting(() => certificate);
        for (var i = 0; i < inputs.Count; i++)
        {
            var (ns, template) = inputs[i];
            var pod = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = template["metadata"]?.DeepClone() ?? new JsonObject(), ["spec"] = template["spec"]!.DeepClone() };
            var review = InjectorServerTests.Review(pod, ns ?? "default");
            using var http = await client.PostAsync(new Uri(server.Address, all ? "/inject/namespace" : "/inject"), new StringContent(review.ToJsonString(), Encoding.UTF8, "application/json"));
            var response = JsonNode.Parse(await http.Content.ReadAsStringAsync())!["response"]!;
            var expected = offline.Workloads[i].Result;

            if (expected.Outcome == InjectionOutcome.Denied)
            {
                Assert.False(response["allowed"]!.GetValue<bool>());
                Assert.Equal(expected.Describe(), response["status"]!["message"]!.GetValue<string>());
                continue;
            }

            Assert.True(response["allowed"]!.GetValue<bool>());
            var patched = response["patch"] is { } patch ? JsonPatchApplier.Apply(pod, Operations(patch.GetValue<string>()))! : pod;
            var printed = outputs[i].Template;
            Assert.True(
                JsonNode.DeepEquals(printed["spec"], patched["spec"]) && JsonNode.DeepEquals(printed["metadata"] ?? new JsonObject(), patched["metadata"]),
                $"{offline.Workloads[i].Workload}: the webhook's pod differs from palisade inject's");
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static List<JsonPatchOperation> Operations(string base64) =>
        JsonNode.Parse(Convert.FromBase64String(base64))!.AsArray()
            .Select(op => new JsonPatchOperation(op!["op"]!.GetValue<string>(), op["path"]!.GetValue<string>(), op["value"]?.DeepClone()))
            .ToList();

    // Every pod template in a manifest, in the order palisade inject meets them, with the workload's namespace.
    private static IEnumerable<(string? Namespace, JsonObject Template)> Templates(string yaml)
    {
        foreach (var document in ManifestReader.Read(yaml))
        {
            if (document.Json is JsonObject root)
            {
                foreach (var found in Templates(root))
                {
                    yield return found;
                }
            }
        }
    }

    private static IEnumerable<(string? Namespace, JsonObject Template)> Templates(JsonObject obj)
    {
        var apiVersion = obj["apiVersion"]?.GetValue<string>();
        var kind = obj["kind"]?.GetValue<string>();
        if (apiVersion == "v1" && kind == "List")
        {
            foreach (var item in obj["items"]!.AsArray().OfType<JsonObject>().SelectMany(Templates))
            {
                yield return item;
            }

            yield break;
        }

        if (WorkloadTemplates.PathOf(apiVersion, kind) is { } path && WorkloadTemplates.Find(obj, path) is { } template)
        {
            yield return (obj["metadata"]?["namespace"]?.GetValue<string>(), template);
        }
    }
}
