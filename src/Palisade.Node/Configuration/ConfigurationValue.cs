namespace Palisade.Node.Configuration;

/// <summary>A setting's raw value(s) from one source, with where it came from (<c>palisade.yaml:12</c>, <c>PALISADE_MODE</c>, <c>--mode</c>).</summary>
public sealed record ConfigurationValue(string Key, IReadOnlyList<string> Values, string Origin);
