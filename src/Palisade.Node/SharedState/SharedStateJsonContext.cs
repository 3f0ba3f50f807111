using System.Text.Json.Serialization;

namespace Palisade.Node.SharedState;

/// <summary>Source-generated JSON for what the shared state writes to Redis (no reflection: the node is NativeAOT).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SharedIpDocument))]
internal sealed partial class SharedStateJsonContext : JsonSerializerContext;
