using System.Globalization;

namespace Palisade.Node.Configuration;

/// <summary>
/// One option of the node, described once and used everywhere: its key in <c>palisade.yaml</c>, its
/// environment variable (<c>PALISADE_</c> + key in upper snake case), its flag (<c>--</c> + key), its help
/// text and default, and how a text value changes <see cref="NodeOptions"/>.
/// </summary>
public sealed class NodeSetting
{
    private readonly Func<NodeOptions, IReadOnlyList<string>, NodeOptions> _apply;
    private readonly Func<NodeOptions, string> _format;

    internal NodeSetting(
        string key,
        string valueHint,
        string description,
        Func<NodeOptions, IReadOnlyList<string>, NodeOptions> apply,
        Func<NodeOptions, string> format,
        SettingKind kind = SettingKind.Value)
    {
        Key = key;
        ValueHint = valueHint;
        Description = description;
        Kind = kind;
        _apply = apply;
        _format = format;
    }

    /// <summary>The key in <c>palisade.yaml</c>, e.g. <c>inspection-limit</c>.</summary>
    public string Key { get; }

    public string EnvironmentVariable => "PALISADE_" + Key.ToUpperInvariant().Replace('-', '_');

    public string Flag => "--" + Key;

    /// <summary>What a value looks like, for help text: <c>SIZE</c>, <c>HOST:PORT</c>.</summary>
    public string ValueHint { get; }

    public string Description { get; }

    public SettingKind Kind { get; }

    /// <summary>The default value as it would be written in configuration.</summary>
    public string DefaultText => _format(new NodeOptions());

    /// <summary>The value in the given options, as it would be written in configuration.</summary>
    public string Format(NodeOptions options) => _format(options);

    /// <summary>Applies values from one source; a bad value throws <see cref="ConfigurationException"/> naming the key and origin.</summary>
    public NodeOptions Apply(NodeOptions options, IReadOnlyList<string> values, string origin)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (Kind != SettingKind.List && values.Count != 1)
        {
            throw new ConfigurationException(Key, "expects a single value, not a list", origin);
        }

        try
        {
            return _apply(options, Kind == SettingKind.List ? SplitList(values) : values);
        }
        catch (FormatException e)
        {
            throw new ConfigurationException(Key, e.Message, origin);
        }
        catch (OverflowException)
        {
            throw new ConfigurationException(Key, $"'{string.Join(",", values)}' is out of range", origin);
        }
    }

    internal static bool ParseBool(string value) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "on" or "1" => true,
        "false" or "no" or "off" or "0" => false,
        _ => throw new FormatException($"'{value}' is not a boolean: use true or false"),
    };

    internal static int ParseInt(string value, int min, int max)
    {
        if (!int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            throw new FormatException($"'{value}' is not a whole number from {min} to {max}");
        }

        return number;
    }

    // "a, b" in one value and several values both make a list; empty items are dropped.
    private static List<string> SplitList(IReadOnlyList<string> values) =>
        values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
}
