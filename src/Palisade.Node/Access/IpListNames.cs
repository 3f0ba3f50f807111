namespace Palisade.Node.Access;

/// <summary>The names of lists and sources as written in configuration, JSON and metric labels.</summary>
public static class IpListNames
{
    public static IReadOnlyList<IpListKind> AllKinds { get; } = [IpListKind.Allow, IpListKind.Deny, IpListKind.Gray];

    public static string ToName(this IpListKind kind) => kind switch
    {
        IpListKind.Allow => "allow",
        IpListKind.Deny => "deny",
        IpListKind.Gray => "gray",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static string ToName(this IpListSource source) => source == IpListSource.Api ? "api" : "config";

    public static bool TryParseKind(string? text, out IpListKind kind)
    {
        switch (text)
        {
            case "allow":
                kind = IpListKind.Allow;
                return true;
            case "deny":
                kind = IpListKind.Deny;
                return true;
            case "gray":
                kind = IpListKind.Gray;
                return true;
            default:
                kind = default;
                return false;
        }
    }
}
