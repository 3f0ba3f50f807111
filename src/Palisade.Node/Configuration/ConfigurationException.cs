namespace Palisade.Node.Configuration;

/// <summary>An invalid configuration value. The message names the key and, when known, where it came from.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(string key, string message, string? origin = null)
        : base(origin is null ? $"{key}: {message}" : $"{key} ({origin}): {message}")
    {
        Key = key;
        Origin = origin;
    }

    public ConfigurationException()
    {
        Key = "";
    }

    public ConfigurationException(string message)
        : base(message)
    {
        Key = "";
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Key = "";
    }

    /// <summary>The option key as written in <c>palisade.yaml</c> (<c>inspection-limit</c>).</summary>
    public string Key { get; }

    /// <summary>Where the value came from: a file and line, an environment variable, or a flag.</summary>
    public string? Origin { get; }
}
