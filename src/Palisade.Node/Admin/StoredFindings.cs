using System.Text.Json;

namespace Palisade.Node.Admin;

/// <summary>
/// The findings of a stored event, read back from their JSON, with each point split into where the value sat in
/// the request (<c>query.data</c>) and the decoders peeled to reach it (<c>base64</c>, <c>json</c>): the
/// decoder chain the explain view shows.
/// </summary>
internal static class StoredFindings
{
    public static List<StoredFinding> Read(string json)
    {
        var findings = new List<StoredFinding>();
        using var document = JsonDocument.Parse(json);
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var point = Text(item, "point");
            var parts = point.Split('|');
            var decoders = parts.Skip(1).Select(p => p.Split('.', 2)[0]).ToArray();
            findings.Add(new StoredFinding(Text(item, "type"), point, parts[0], decoders, Text(item, "detector"), Text(item, "reason"), Text(item, "evidence"),
                item.TryGetProperty("score", out var score) && score.TryGetInt32(out var value) ? value : 0));
        }

        return findings;
    }

    private static string Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
