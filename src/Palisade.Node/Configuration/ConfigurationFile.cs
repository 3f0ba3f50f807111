namespace Palisade.Node.Configuration;

/// <summary>What <c>palisade.yaml</c> holds: plain option values and structured sections.</summary>
public sealed record ConfigurationFile(IReadOnlyList<ConfigurationValue> Values, IReadOnlyList<ConfigurationSection> Sections)
{
    public static ConfigurationFile Empty { get; } = new([], []);
}
