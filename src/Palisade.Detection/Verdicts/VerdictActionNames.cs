namespace Palisade.Detection.Verdicts;

/// <summary>The one place where <see cref="VerdictAction"/> meets its log and metric spelling.</summary>
public static class VerdictActionNames
{
    private static readonly string[] Names = ["pass", "monitor", "block"];

    public static string ToName(this VerdictAction action) => Names[(int)action];
}
