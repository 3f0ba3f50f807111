using System.Globalization;
using System.Text;

namespace Palisade.Node.Policy;

/// <summary>
/// One exclusion proposed to let a false positive through: the exact path and method of the request, the point
/// the finding was at and the detector that fired. Rendered as the YAML item an operator would write.
/// </summary>
public sealed record ProposedExclusion(string Name, string? Path, string Method, string Point, string DetectorId, string Reason)
{
    /// <summary>The item of an <c>exclusions:</c> list, each line indented by <paramref name="indent"/>.</summary>
    public string ToYaml(string indent = "  ")
    {
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $"{indent}- name: {Name}\n");
        if (Path is not null)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"{indent}  path: {Quote(Path)}\n");
            yaml.Append(CultureInfo.InvariantCulture, $"{indent}  path-match: exact\n");
        }

        yaml.Append(CultureInfo.InvariantCulture, $"{indent}  methods: [{Method}]\n");
        yaml.Append(CultureInfo.InvariantCulture, $"{indent}  point: {Quote(Point)}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"{indent}  detectors: [{DetectorId}]\n");
        yaml.Append(CultureInfo.InvariantCulture, $"{indent}  reason: {Quote(Reason)}\n");
        return yaml.ToString();
    }

    // Single-quoted YAML scalars take any text; a quote is doubled.
    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
