using System.Text.Json.Nodes;

namespace Palisade.Kubernetes.Patching;

/// <summary>
/// The RFC 6902 patch that turns one JSON document into another, touching only what differs: an object's member
/// is added, removed or recursed into; an array that grew at its start or its end gets <c>add</c> operations for
/// the new items (one that lost items at its end, <c>remove</c> operations) and keeps the old ones (whose fields the patch never rewrites: the API server applies it to the
/// object as stored, which may hold fields the typed models do not know); any other array change replaces it.
/// </summary>
public static class JsonPatchDiff
{
    public static IReadOnlyList<JsonPatchOperation> Create(JsonNode? original, JsonNode? mutated)
    {
        var operations = new List<JsonPatchOperation>();
        Diff(original, mutated, "", operations);
        return operations;
    }

    private static void Diff(JsonNode? original, JsonNode? mutated, string path, List<JsonPatchOperation> operations)
    {
        if (JsonNode.DeepEquals(original, mutated))
        {
            return;
        }

        switch (original, mutated)
        {
            case (JsonObject before, JsonObject after):
                foreach (var (key, value) in before)
                {
                    if (!after.ContainsKey(key))
                    {
                        operations.Add(new JsonPatchOperation("remove", JsonPointer.Append(path, key)));
                    }
                    else
                    {
                        Diff(value, after[key], JsonPointer.Append(path, key), operations);
                    }
                }

                foreach (var (key, value) in after)
                {
                    if (!before.ContainsKey(key))
                    {
                        operations.Add(new JsonPatchOperation("add", JsonPointer.Append(path, key), value));
                    }
                }

                break;
            case (JsonArray before, JsonArray after):
                DiffArray(before, after, path, operations);
                break;
            default:
                operations.Add(new JsonPatchOperation("replace", path, mutated));
                break;
        }
    }

    private static void DiffArray(JsonArray before, JsonArray after, string path, List<JsonPatchOperation> operations)
    {
        var added = after.Count - before.Count;
        if (added > 0 && IsRange(before, after, 0, 0, before.Count))
        {
            for (var i = before.Count; i < after.Count; i++)
            {
                operations.Add(new JsonPatchOperation("add", JsonPointer.Append(path, i), after[i]));
            }

            return;
        }

        if (added > 0 && IsRange(before, after, 0, added, before.Count))
        {
            for (var i = 0; i < added; i++)
            {
                operations.Add(new JsonPatchOperation("add", JsonPointer.Append(path, i), after[i]));
            }

            return;
        }

        if (added < 0 && IsRange(before, after, 0, 0, after.Count))
        {
            // Items dropped from the end (a re-rendered sidecar without the volume it had): removed last to first.
            for (var i = before.Count - 1; i >= after.Count; i--)
            {
                operations.Add(new JsonPatchOperation("remove", JsonPointer.Append(path, i)));
            }

            return;
        }

        if (added == 0)
        {
            for (var i = 0; i < before.Count; i++)
            {
                Diff(before[i], after[i], JsonPointer.Append(path, i), operations);
            }

            return;
        }

        operations.Add(new JsonPatchOperation("replace", path, after));
    }

    private static bool IsRange(JsonArray before, JsonArray after, int beforeStart, int afterStart, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (!JsonNode.DeepEquals(before[beforeStart + i], after[afterStart + i]))
            {
                return false;
            }
        }

        return true;
    }
}
