using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Palisade.Kubernetes.Injection;
using Palisade.Kubernetes.Models;

namespace Palisade.Kubernetes.Webhook;

/// <summary>
/// Answers one <c>admission.k8s.io/v1</c> AdmissionReview for a pod: allowed with the injection's JSON patch, allowed
/// without one (the skip reason in <c>auditAnnotations</c>), or refused with the annotation errors (HTTP status 422 in
/// the response). Anything but a well-formed review is an <see cref="AdmissionRequestException"/>.
/// </summary>
public static class AdmissionReviewHandler
{
    private const string ApiVersion = "admission.k8s.io/v1";

    public static AdmissionAnswer Handle(JsonNode? body, InjectionOptions options, bool namespaceOptedIn)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (body is not JsonObject review || review["request"] is not JsonObject request)
        {
            throw new AdmissionRequestException("the body is not an AdmissionReview with a request");
        }

        if (Text(review, "apiVersion") is not ApiVersion || Text(review, "kind") != "AdmissionReview")
        {
            throw new AdmissionRequestException($"expected kind AdmissionReview, apiVersion {ApiVersion}");
        }

        var uid = Text(request, "uid") ?? throw new AdmissionRequestException("the request has no uid");
        var kind = request["kind"] is JsonObject k ? Text(k, "kind") : null;
        var ns = Text(request, "namespace");
        if (kind != "Pod" || Text(request, "operation") != "CREATE" || request["object"] is not JsonObject podJson)
        {
            // Only pod creation is injected; the webhook's rules should send nothing else, and anything else passes.
            return new AdmissionAnswer(Response(uid, allowed: true, audit: "ignored: not a pod creation"), $"{ns}/{kind}", "ignored", "not-a-pod-creation");
        }

        k8s.Models.V1Pod pod;
        try
        {
            pod = ModelJson.Deserialize(podJson);
        }
        catch (JsonException e)
        {
            throw new AdmissionRequestException("request.object is not a pod: " + e.Message, e);
        }

        var name = $"{ns}/{pod.Metadata?.Name ?? pod.Metadata?.GenerateName + "*"}";
        var result = PodInjector.Inject(pod, ns, namespaceOptedIn, options);
        return result.Outcome switch
        {
            InjectionOutcome.Injected => new AdmissionAnswer(Response(uid, allowed: true, audit: "injected", patch: result.Patch), name, "injected", ""),
            InjectionOutcome.Skipped => new AdmissionAnswer(Response(uid, allowed: true, audit: result.Describe()), name, "skipped", result.SkipReason!.Value.Code()),
            _ => new AdmissionAnswer(Denied(uid, result.Describe()), name, "denied", result.Describe()),
        };
    }

    private static JsonObject Response(string uid, bool allowed, string audit, IReadOnlyList<Patching.JsonPatchOperation>? patch = null)
    {
        var response = new JsonObject
        {
            ["uid"] = uid,
            ["allowed"] = allowed,
            ["auditAnnotations"] = new JsonObject { ["palisade.io/injection"] = audit },
        };
        if (patch is { Count: > 0 })
        {
            var operations = new JsonArray(patch.Select(p => (JsonNode)p.ToJson()).ToArray());
            response["patchType"] = "JSONPatch";
            response["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(operations.ToJsonString()));
        }

        return Review(response);
    }

    private static JsonObject Denied(string uid, string message) => Review(new JsonObject
    {
        ["uid"] = uid,
        ["allowed"] = false,
        ["status"] = new JsonObject { ["code"] = 422, ["reason"] = "Invalid", ["message"] = message },
    });

    private static JsonObject Review(JsonObject response) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = "AdmissionReview",
        ["response"] = response,
    };

    private static string? Text(JsonObject obj, string name) =>
        obj.TryGetPropertyValue(name, out var value) && value is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
}
