using System.Globalization;
using System.Text.Json.Nodes;

namespace Palisade.Kubernetes.Patching;

/// <summary>Applies <c>add</c>, <c>remove</c> and <c>replace</c> operations (RFC 6902) to a document, in order.</summary>
public static class JsonPatchApplier
{
    /// <summary>Returns the patched document (a new root when an operation replaces the whole document).</summary>
    public static JsonNode? Apply(JsonNode? document, IEnumerable<JsonPatchOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        foreach (var operation in operations)
        {
            document = ApplyOne(document, operation);
        }

        return document;
    }

    private static JsonNode? ApplyOne(JsonNode? document, JsonPatchOperation operation)
    {
        var tokens = JsonPointer.Parse(operation.Path);
        if (tokens.Count == 0)
        {
            return operation.Op == "remove" ? null : operation.Value?.DeepClone();
        }

        var parent = document;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            parent = Child(parent, tokens[i], operation.Path);
        }

        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj:
                if (operation.Op != "add" && !obj.ContainsKey(last))
                {
                    throw new InvalidOperationException($"{operation.Op} {operation.Path}: no member '{last}'");
                }

                if (operation.Op == "remove")
                {
                    obj.Remove(last);
                }
                else
                {
                    obj[last] = operation.Value?.DeepClone();
                }

                break;
            case JsonArray array:
                var index = last == "-" && operation.Op == "add" ? array.Count : Index(last, operation.Path);
                if (index > array.Count || (operation.Op != "add" && index == array.Count))
                {
                    throw new InvalidOperationException($"{operation.Op} {operation.Path}: index {index} is out of range");
                }

                switch (operation.Op)
                {
                    case "add":
                        array.Insert(index, operation.Value?.DeepClone());
                        break;
                    case "remove":
                        array.RemoveAt(index);
                        break;
                    default:
                        array[index] = operation.Value?.DeepClone();
                        break;
                }

                break;
            default:
                throw new InvalidOperationException($"{operation.Op} {operation.Path}: the parent is not an object or array");
        }

        return document;
    }

    private static JsonNode? Child(JsonNode? node, string token, string path) => node switch
    {
        JsonObject obj when obj.TryGetPropertyValue(token, out var child) => child,
        JsonArray array => array[Index(token, path)],
        _ => throw new InvalidOperationException($"{path}: '{token}' does not exist"),
    };

    private static int Index(string token, string path) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : throw new InvalidOperationException($"{path}: '{token}' is not an array index");
}
