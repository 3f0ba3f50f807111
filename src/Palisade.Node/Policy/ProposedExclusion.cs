using System.Globalization;
using System.Text;

namespace Palisade.Node.Policy;

/// <summary>
/// One exclusion proposed to let a false positive through: the exact path and method of the request, the point
/// the finding was at and the detector that fired. Rendered as the YAML item an operator would write.
/// </summary>
public sealed record ProposedExclusion(string Name, string? Path, string Method, string Point, string DetectorId, string Reason)
{
    /// <summary>The item of a block <c>exclusions:</c> list, each line indented by <paramref name="indent"/> and ended by <paramref name="newline"/>.</summary>
    public string ToYaml(string indent = "  ", string newline = "\n")
    {
        var yaml = new StringBuilder();
        var first = true;
        foreach (var (key, value) in Fields())
        {
            yaml.Append(indent).Append(first ? "- " : "  ").Append(key).Append(": ").Append(value).Append(newline);
            first = false;
        }

        return yaml.ToString();
    }

    /// <summary>The item of a flow <c>exclusions: [...]</c> list, on one line.</summary>
    public string ToFlowYaml() => "{" + string.Join(", ", Fields().Select(f => $"{f.Key}: {f.Value}")) + "}";

    private IEnumerable<KeyValuePair<string, string>> Fields()
    {
        yield return new("name", Quote(Name));
        if (Path is not null)
        {
            yield return new("path", Quote(Path));
            yield return new("path-match", "exact");
        }

        yield return new("methods", $"[{Quote(Method)}]");
        yield return new("point", Quote(Point));
        yield return new("detectors", $"[{Quote(DetectorId)}]");
        yield return new("reason", Quote(Reason));
    }

    /// <summary>
    /// A quoted YAML scalar that reads back as exactly <paramref name="text"/>: single-quoted when it is printable
    /// ASCII (a quote is doubled), double-quoted with escapes otherwise (control characters, line breaks and
    /// anything beyond ASCII, which YAML readers may fold, trim or take for a line break).
    /// </summary>
    internal static string Quote(string text)
    {
        if (text.All(c => c is >= ' ' and <= '~'))
        {
            return "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
        }

        var quoted = new StringBuilder(text.Length + 8).Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '"' or '\\')
            {
                quoted.Append('\\').Append(c);
            }
            else if (c is >= ' ' and <= '~')
            {
                quoted.Append(c);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                quoted.Append(CultureInfo.InvariantCulture, $"\\U{char.ConvertToUtf32(c, text[i + 1]):X8}");
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                throw new ArgumentException("the text holds a lone surrogate, which no YAML file can carry", nameof(text));
            }
            else
            {
                quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
        }

        return quoted.Append('"').ToString();
    }
}
