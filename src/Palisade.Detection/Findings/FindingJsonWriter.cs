using System.Text.Json;

namespace Palisade.Detection.Findings;

/// <summary>
/// The one JSON shape of a list of findings, shared by attack events and <c>palisade check --json</c>:
/// <c>"findings":[{"type","point","detector","reason","evidence","score"}]</c>.
/// </summary>
public static class FindingJsonWriter
{
    public static void WriteFindings(this Utf8JsonWriter json, IReadOnlyList<Finding> findings)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(findings);
        json.WriteStartArray("findings");
        foreach (var finding in findings)
        {
            json.WriteStartObject();
            json.WriteString("type", finding.AttackType.ToName());
            json.WriteString("point", finding.Point);
            json.WriteString("detector", finding.DetectorId);
            json.WriteString("reason", finding.Reason);
            json.WriteString("evidence", finding.Evidence);
            json.WriteNumber("score", finding.Score);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
