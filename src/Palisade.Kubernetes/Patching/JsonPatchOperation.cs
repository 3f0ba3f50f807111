using System.Text.Json.Nodes;

namespace Palisade.Kubernetes.Patching;

/// <summary>One RFC 6902 operation: <c>add</c>, <c>remove</c> or <c>replace</c> at a JSON Pointer (RFC 6901).</summary>
public sealed record JsonPatchOperation(string Op, string Path, JsonNode? Value = null)
{
    public JsonObject ToJson()
    {
        var json = new JsonObject { ["op"] = Op, ["path"] = Path };
        if (Op != "remove")
        {
            json["value"] = Value?.DeepClone();
        }

        return json;
    }
}
