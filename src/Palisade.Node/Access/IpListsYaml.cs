using System.Globalization;
using YamlDotNet.RepresentationModel;
using Palisade.Node.Configuration;

namespace Palisade.Node.Access;

/// <summary>
/// Reads the <c>ip-lists</c> section of <c>palisade.yaml</c>: a mapping of <c>allow</c>, <c>deny</c> and <c>gray</c> to
/// sequences whose items are a CIDR, or a mapping with <c>cidr</c> and optional <c>reason</c> and <c>expires</c>
/// (ISO 8601; UTC when no offset is written). Any mistake is a <see cref="ConfigurationException"/> keyed
/// <c>ip-lists.deny[2]</c> with the file and line.
/// <para>
/// <c>countries</c> maps the same three lists to ISO 3166-1 alpha-2 codes (<c>countries: { deny: [XX, YY] }</c>);
/// a country may sit on one list only, and country rules need the <c>geoip-database</c> option.
/// </para>
/// </summary>
public static class IpListsYaml
{
    private const string Section = "ip-lists";
    private const string CountriesKey = "countries";

    /// <summary>Applies the section to <paramref name="options"/>: its address entries and its country rules.</summary>
    public static NodeOptions Apply(NodeOptions options, YamlNode node, string fileName)
    {
        ArgumentNullException.ThrowIfNull(options);
        var entries = Read(node, fileName, out var countries, out var countriesNode);
        if (countries.Count > 0 && options.GeoIpDatabase.Length == 0)
        {
            throw Error("geoip-database", $"{Section}.{CountriesKey} needs a country database: set geoip-database to a MaxMind DB (.mmdb) file", fileName, countriesNode!);
        }

        return options with { IpLists = entries, CountryLists = countries };
    }

    /// <summary>The section's address entries (its country rules are checked but not returned).</summary>
    public static IReadOnlyList<IpListEntry> Read(YamlNode node, string fileName) => Read(node, fileName, out _, out _);

    /// <summary>The section's country rules.</summary>
    public static IReadOnlyList<CountryListEntry> ReadCountries(YamlNode node, string fileName)
    {
        Read(node, fileName, out var countries, out _);
        return countries;
    }

    private static List<IpListEntry> Read(YamlNode node, string fileName, out List<CountryListEntry> countries, out YamlNode? countriesNode)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(fileName);
        countries = [];
        countriesNode = null;
        if (node is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        if (node is not YamlMappingNode lists)
        {
            throw Error(Section, "expects a mapping of allow, deny, gray and countries to lists", fileName, node);
        }

        var entries = new List<IpListEntry>();
        foreach (var (keyNode, value) in lists.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            if (name == CountriesKey)
            {
                countriesNode = keyNode;
                ReadCountries(value, countries, fileName);
                continue;
            }

            if (!IpListNames.TryParseKind(name, out var kind))
            {
                throw Error($"{Section}.{name}", "unknown list: use allow, deny, gray or countries", fileName, keyNode);
            }

            if (value is YamlScalarNode { Value: null or "" })
            {
                continue;
            }

            if (value is not YamlSequenceNode items)
            {
                throw Error($"{Section}.{name}", "expects a list of CIDRs", fileName, value);
            }

            for (var i = 0; i < items.Children.Count; i++)
            {
                entries.Add(ReadItem(items.Children[i], kind, $"{Section}.{name}[{i.ToString(CultureInfo.InvariantCulture)}]", fileName));
            }
        }

        return entries;
    }

    private static void ReadCountries(YamlNode node, List<CountryListEntry> countries, string fileName)
    {
        const string Key = Section + "." + CountriesKey;
        if (node is YamlScalarNode { Value: null or "" })
        {
            return;
        }

        if (node is not YamlMappingNode lists)
        {
            throw Error(Key, "expects a mapping of allow, deny and gray to lists of country codes (NL, US)", fileName, node);
        }

        foreach (var (keyNode, value) in lists.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!IpListNames.TryParseKind(name, out var kind))
            {
                throw Error($"{Key}.{name}", "unknown list: use allow, deny or gray", fileName, keyNode);
            }

            if (value is YamlScalarNode { Value: null or "" })
            {
                continue;
            }

            if (value is not YamlSequenceNode items)
            {
                throw Error($"{Key}.{name}", "expects a list of country codes (NL, US)", fileName, value);
            }

            for (var i = 0; i < items.Children.Count; i++)
            {
                var key = $"{Key}.{name}[{i.ToString(CultureInfo.InvariantCulture)}]";
                var item = items.Children[i];
                if (item is not YamlScalarNode { Value: { } code } || !CountryRules.IsCode(code))
                {
                    throw Error(key, $"'{(item as YamlScalarNode)?.Value}' is not an ISO 3166-1 alpha-2 country code: two capital letters (NL, US)", fileName, item);
                }

                foreach (var listed in countries)
                {
                    if (listed.Country == code)
                    {
                        throw Error(key, $"{code} is already on the {listed.Kind.ToName()} list: a country sits on one list", fileName, item);
                    }
                }

                countries.Add(new CountryListEntry(code, kind));
            }
        }
    }

    private static IpListEntry ReadItem(YamlNode item, IpListKind kind, string key, string fileName)
    {
        if (item is YamlScalarNode scalar)
        {
            return new IpListEntry(ParseCidr(scalar, key, fileName), kind);
        }

        if (item is not YamlMappingNode mapping)
        {
            throw Error(key, "expects a CIDR or a mapping with cidr, reason and expires", fileName, item);
        }

        YamlScalarNode? cidr = null;
        string? reason = null;
        DateTimeOffset? expires = null;
        foreach (var (fieldNode, value) in mapping.Children)
        {
            var field = (fieldNode as YamlScalarNode)?.Value ?? "";
            var text = value as YamlScalarNode ?? throw Error(key, $"'{field}' expects a plain value", fileName, value);
            switch (field)
            {
                case "cidr":
                    cidr = text;
                    break;
                case "reason":
                    reason = string.IsNullOrWhiteSpace(text.Value) ? null : text.Value;
                    break;
                case "expires":
                    expires = ParseExpires(text, key, fileName);
                    break;
                default:
                    throw Error(key, $"unknown key '{field}': use cidr, reason, expires", fileName, fieldNode);
            }
        }

        return cidr is null
            ? throw Error(key, "cidr is required", fileName, mapping)
            : new IpListEntry(ParseCidr(cidr, key, fileName), kind, reason, expires);
    }

    private static System.Net.IPNetwork ParseCidr(YamlScalarNode node, string key, string fileName) =>
        IpCidr.TryParse(node.Value, out var network, out var error) ? network : throw Error(key, error, fileName, node);

    private static DateTimeOffset ParseExpires(YamlScalarNode node, string key, string fileName) =>
        TryParseTime(node.Value, out var time)
            ? time
            : throw Error(key, $"'{node.Value}' is not a date and time (2026-12-31T00:00:00Z)", fileName, node);

    /// <summary>An ISO 8601 date and time (or date); UTC when no offset is written.</summary>
    internal static bool TryParseTime(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text?.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time)
        && text!.Trim().Length >= 10 && char.IsAsciiDigit(text.Trim()[0]);

    private static ConfigurationException Error(string key, string message, string fileName, YamlNode node) =>
        new(key, message, $"{fileName}:{node.Start.Line.ToString(CultureInfo.InvariantCulture)}");
}
