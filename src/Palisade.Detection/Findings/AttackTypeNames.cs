using System.Diagnostics.CodeAnalysis;

namespace Palisade.Detection.Findings;

/// <summary>The one place where <see cref="AttackType"/> meets its stable wire name (events, metrics, corpus categories).</summary>
public static class AttackTypeNames
{
    private static readonly string[] Names =
    [
        "sqli", "xss", "rce", "code_injection", "path_traversal", "ssrf", "xxe", "nosqli", "ldapi", "ssti", "crlf",
        "open_redirect", "scanner", "overlimit", "virtual_patch",
    ];

    public static IReadOnlyList<AttackType> All { get; } = Enum.GetValues<AttackType>();

    public static string ToName(this AttackType type) => Names[(int)type];

    public static bool TryParse(string? name, [NotNullWhen(true)] out AttackType? type)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                type = (AttackType)i;
                return true;
            }
        }

        type = null;
        return false;
    }
}
