namespace Palisade.Kubernetes.Patching;

/// <summary>RFC 6901 JSON Pointers: <c>/metadata/annotations/palisade.io~1status</c>.</summary>
public static class JsonPointer
{
    public static string Append(string path, string token) => path + "/" + token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string Append(string path, int index) => path + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static IReadOnlyList<string> Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw new FormatException($"'{path}' is not a JSON Pointer: it must start with '/'");
        }

        return path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }
}
