using System.Text;
using System.Text.Json;

namespace Palisade.Node.Tests.Infrastructure;

/// <summary>What the recording application says it received: the exact request head and body bytes.</summary>
public sealed record Recorded(string Head, byte[] Body, bool Chunked)
{
    public string RequestLine => Head.Split("\r\n")[0];

    public string Target => RequestLine.Split(' ')[1];

    /// <summary>The header lines as received (name and value exactly as on the wire).</summary>
    public IReadOnlyList<(string Name, string Value)> Headers =>
        Head.Split("\r\n").Skip(1).Where(l => l.Length > 0)
            .Select(l => (l[..l.IndexOf(':', StringComparison.Ordinal)], l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()))
            .ToList();

    public IReadOnlyList<string> Values(string name) =>
        Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();

    public static Recorded Parse(string json)
    {
        var root = JsonDocument.Parse(json).RootElement;
        return new Recorded(
            Encoding.Latin1.GetString(Convert.FromBase64String(root.GetProperty("head").GetString()!)),
            Convert.FromBase64String(root.GetProperty("body").GetString()!),
            root.GetProperty("chunked").GetBoolean());
    }

    /// <summary>Reads the recording out of a raw HTTP response (headers, blank line, JSON body).</summary>
    public static Recorded FromRawResponse(string response)
    {
        var body = response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        return Parse(body[body.IndexOf('{', StringComparison.Ordinal)..(body.LastIndexOf('}') + 1)]);
    }
}
