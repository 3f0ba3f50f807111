using System.Text.Json;
using Palisade.Detection.Engine;
using Palisade.Detection.Findings;
using Palisade.Detection.Verdicts;

namespace Palisade.Checking;

/// <summary>Prints one request's verdict and findings, as text or as a JSON line.</summary>
internal static class CheckReport
{
    public static void WriteText(TextWriter output, string label, InspectionResult result, VerdictAction action)
    {
        var verdict = result.IsAttack ? "attack" : "clean";
        output.WriteLine($"{label}: {verdict} (action: {action.ToName()}, {result.Points} points inspected{(result.BudgetExceeded ? ", budget exceeded" : "")})");
        foreach (var f in result.Findings)
        {
            output.WriteLine($"  {f.AttackType.ToName(),-6} {f.Point}  [{f.DetectorId}, score {f.Score}] {f.Reason}");
            output.WriteLine($"         evidence: {f.Evidence}");
        }
    }

    public static void WriteJson(Stream output, string label, InspectionResult result, VerdictAction action)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteString("request", label);
        json.WriteString("verdict", result.IsAttack ? "attack" : "clean");
        json.WriteString("action", action.ToName());
        json.WriteNumber("points", result.Points);
        json.WriteBoolean("budget_exceeded", result.BudgetExceeded);
        json.WriteFindings(result.Findings);
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
    }
}
