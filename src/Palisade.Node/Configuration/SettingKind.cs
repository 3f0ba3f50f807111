namespace Palisade.Node.Configuration;

/// <summary>The shape of a setting's value.</summary>
public enum SettingKind
{
    /// <summary>One value.</summary>
    Value,

    /// <summary>A list: a YAML sequence, or comma-separated text in the environment and on the command line.</summary>
    List,

    /// <summary>A boolean; as a flag it may be given without a value to mean true.</summary>
    Switch,
}
