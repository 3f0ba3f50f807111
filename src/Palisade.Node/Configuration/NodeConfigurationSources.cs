namespace Palisade.Node.Configuration;

/// <summary>
/// Where the node's configuration comes from, lowest precedence first: defaults, the YAML file, the
/// environment (<c>PALISADE_*</c>), command-line flags. Kept together so a reload can apply them again.
/// </summary>
public sealed record NodeConfigurationSources
{
    /// <summary>Path of <c>palisade.yaml</c>, or null for none.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Environment variables (only <c>PALISADE_*</c> ones are read).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Values given as flags, in order.</summary>
    public IReadOnlyList<ConfigurationValue> Flags { get; init; } = [];

    /// <summary>The process environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && key.StartsWith("PALISADE_", StringComparison.Ordinal) && entry.Value is string value)
            {
                result[key] = value;
            }
        }

        return result;
    }
}
