using System.Text.Json.Nodes;

namespace Palisade.Kubernetes.Manifests;

/// <summary>One document of a YAML stream: its JSON form and its text as written (kept for documents left as they are).</summary>
public sealed record ManifestDocument(JsonNode? Json, string Text, int Line);
