using System.Diagnostics.CodeAnalysis;

namespace Palisade.Detection.Verdicts;

/// <summary>The one place where <see cref="EnforcementMode"/> meets its configuration and log spelling.</summary>
public static class EnforcementModeNames
{
    private static readonly string[] Names = ["off", "monitoring", "safe_blocking", "block"];

    public static IReadOnlyList<string> All => Names;

    public static string ToName(this EnforcementMode mode) => Names[(int)mode];

    public static bool TryParse(string? name, [NotNullWhen(true)] out EnforcementMode? mode)
    {
        var normalized = name?.Trim().Replace('-', '_');
        for (var i = 0; i < Names.Length; i++)
        {
            if (string.Equals(Names[i], normalized, StringComparison.OrdinalIgnoreCase))
            {
                mode = (EnforcementMode)i;
                return true;
            }
        }

        mode = null;
        return false;
    }
}
