namespace Palisade.Node.Configuration;

/// <summary>
/// Builds <see cref="NodeOptions"/> from its sources in a fixed precedence: defaults &lt; YAML file &lt;
/// environment &lt; flags. Any invalid value throws a <see cref="ConfigurationException"/> naming the key.
/// </summary>
public static class NodeOptionsLoader
{
    /// <summary>Environment variable that names the YAML file when no <c>--config</c> is given.</summary>
    public const string ConfigFileVariable = "PALISADE_CONFIG";

    public static NodeOptions Load(NodeConfigurationSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var options = new NodeOptions();
        var set = new HashSet<string>(StringComparer.Ordinal);

        var configFile = sources.ConfigFile ?? sources.Environment.GetValueOrDefault(ConfigFileVariable);
        var file = string.IsNullOrEmpty(configFile) ? ConfigurationFile.Empty : YamlConfigFile.Read(configFile);
        foreach (var value in file.Values)
        {
            options = Apply(options, value, set);
        }

        foreach (var setting in NodeSettings.All)
        {
            if (sources.Environment.TryGetValue(setting.EnvironmentVariable, out var text))
            {
                options = Apply(options, new ConfigurationValue(setting.Key, [text], setting.EnvironmentVariable), set);
            }
        }

        foreach (var flag in sources.Flags)
        {
            options = Apply(options, flag, set);
        }

        // Sections after every plain option, in the catalogue's order (exclusions name routes read before them).
        foreach (var section in NodeSections.All)
        {
            foreach (var found in file.Sections)
            {
                if (found.Key == section.Key)
                {
                    options = section.Apply(options, found.Node, found.FileName);
                }
            }
        }

        // The demo exists to show blocking: it blocks unless a mode was chosen.
        if (options.Demo && !set.Contains("mode"))
        {
            options = options with { Mode = Detection.Verdicts.EnforcementMode.Block };
        }

        Validate(options, set);
        return options;
    }

    private static NodeOptions Apply(NodeOptions options, ConfigurationValue value, HashSet<string> set)
    {
        var setting = NodeSettings.Find(value.Key)
            ?? throw new ConfigurationException(value.Key, "unknown option", value.Origin);
        set.Add(setting.Key);
        return setting.Apply(options, value.Values, value.Origin);
    }

    private static void Validate(NodeOptions options, HashSet<string> set)
    {
        if (options.Listen.Port != 0 && options.Listen.Port == options.AdminListen.Port
            && (options.Listen.Address.Equals(options.AdminListen.Address) || IsAny(options.Listen) || IsAny(options.AdminListen)))
        {
            throw new ConfigurationException("admin-listen", $"{options.AdminListen} collides with listen {options.Listen}: the admin listener needs its own port");
        }

        ValidateManagement(options);

        if (options.Demo && set.Contains("upstream"))
        {
            throw new ConfigurationException("upstream", "cannot be combined with demo: the demo forwards to its built-in echo application");
        }
    }

    private static void ValidateManagement(NodeOptions options)
    {
        var management = options.ManagementListen;
        if (!System.Net.IPAddress.IsLoopback(management.Address) && options.AdminToken is null)
        {
            throw new ConfigurationException("management-listen", $"{management} is not a loopback address: set admin-token, or bind it to 127.0.0.1");
        }

        foreach (var (key, other) in new[] { ("listen", options.Listen), ("admin-listen", options.AdminListen) })
        {
            if (management.Port != 0 && management.Port == other.Port)
            {
                throw new ConfigurationException("management-listen", $"{management} collides with {key} {other}: the management listener needs its own port");
            }
        }
    }

    private static bool IsAny(ListenAddress address) =>
        address.Address.Equals(System.Net.IPAddress.Any) || address.Address.Equals(System.Net.IPAddress.IPv6Any);
}
