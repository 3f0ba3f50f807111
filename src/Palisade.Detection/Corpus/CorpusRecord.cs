using System.Text;
using System.Text.Json;
using Palisade.Detection.Snapshots;

namespace Palisade.Detection.Corpus;

/// <summary>
/// One labelled request of the corpus format (JSON Lines): <c>{"id", "label", "category", "request":
/// {"method", "path", "query", "headers", "body"}, "location", "source", ...}</c>.
/// </summary>
public sealed record CorpusRecord
{
    public required string Id { get; init; }

    public required bool IsAttack { get; init; }

    /// <summary>The attack category (<c>sqli</c>) or <c>benign</c>.</summary>
    public required string Category { get; init; }

    public string? Subcategory { get; init; }

    public string? Source { get; init; }

    /// <summary>Where the payload sits: <c>query:id</c>, <c>json:a.b</c>, <c>crs-test</c>, ...</summary>
    public string? Location { get; init; }

    public string? Payload { get; init; }

    public required string Method { get; init; }

    /// <summary>The request-target as on the wire: path, and <c>?query</c> when there is one.</summary>
    public required string RawTarget { get; init; }

    public required IReadOnlyList<HttpHeader> Headers { get; init; }

    public required string Body { get; init; }

    /// <summary>The location's kind without its parameter: <c>query</c>, <c>json</c>, <c>crs-test</c>.</summary>
    public string LocationKind
    {
        get
        {
            var location = Location ?? "unknown";
            var cut = location.IndexOfAny([':', '(']);
            return cut < 0 ? location : location[..cut];
        }
    }

    /// <summary>Parses one line; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static CorpusRecord Parse(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var request = Required(root, "request");
            var path = Required(request, "path").GetString() ?? "/";
            var query = request.TryGetProperty("query", out var q) ? q.GetString() ?? "" : "";
            var headers = new List<HttpHeader>();
            if (request.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object)
            {
                foreach (var header in h.EnumerateObject())
                {
                    headers.Add(new HttpHeader(header.Name, header.Value.GetString() ?? ""));
                }
            }

            return new CorpusRecord
            {
                Id = Required(root, "id").GetString() ?? "",
                IsAttack = string.Equals(Required(root, "label").GetString(), "attack", StringComparison.Ordinal),
                Category = Required(root, "category").GetString() ?? "",
                Subcategory = OptionalString(root, "subcategory"),
                Source = OptionalString(root, "source"),
                Location = OptionalString(root, "location"),
                Payload = OptionalString(root, "payload"),
                Method = Required(request, "method").GetString() ?? "GET",
                RawTarget = query.Length == 0 ? path : path + "?" + query,
                Headers = headers,
                Body = request.TryGetProperty("body", out var b) ? b.GetString() ?? "" : "",
            };
        }
        catch (JsonException e)
        {
            throw new FormatException($"not a corpus record: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException($"not a corpus record: {e.Message}", e);
        }
    }

    /// <summary>The request as the engine sees it: headers as given, the body's UTF-8 bytes.</summary>
    public RequestSnapshot ToSnapshot() => new(Method, RawTarget, Headers)
    {
        Body = Encoding.UTF8.GetBytes(Body),
    };

    private static JsonElement Required(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : throw new FormatException($"missing \"{name}\"");

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
