using Palisade.Node.Configuration;

namespace Palisade.Node.Policy;

/// <summary>Names of routes and rules: short, lower case, safe as a metric label and in a URL.</summary>
public static class PolicyNames
{
    /// <summary>The route of requests no configured route matches.</summary>
    public const string DefaultRoute = "default";

    public const int MaxLength = 64;

    public static string? Read(YamlMapping mapping, string key, bool required)
    {
        var name = required ? mapping.RequiredString(key) : mapping.OptionalString(key);
        if (name is null)
        {
            return null;
        }

        if (name.Length > MaxLength || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
        {
            throw mapping.Error(key, $"'{name}' is not a name: lower-case letters, digits, '-' and '_', at most {MaxLength}");
        }

        return name;
    }
}
