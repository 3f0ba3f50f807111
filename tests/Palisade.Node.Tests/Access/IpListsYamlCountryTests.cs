using Palisade.Node.Access;
using Palisade.Node.Configuration;
using YamlDotNet.RepresentationModel;

namespace Palisade.Node.Tests.Access;

/// <summary>The <c>countries</c> part of the <c>ip-lists</c> section.</summary>
public sealed class IpListsYamlCountryTests
{
    private const string WithDatabase = "/var/lib/geoip/country.mmdb";

    [Fact]
    public void Apply_CountriesBesideAddresses_BothRead()
    {
        var options = Apply("""
            ip-lists:
              allow: [10.0.0.0/8]
              countries:
                deny: [XX, YY]
                gray: [ZZ]
                allow: []
            """, WithDatabase);

        Assert.Single(options.IpLists);
        Assert.Equal(
            [new CountryListEntry("XX", IpListKind.Deny), new CountryListEntry("YY", IpListKind.Deny), new CountryListEntry("ZZ", IpListKind.Gray)],
            options.CountryLists);
    }

    [Fact]
    public void Read_Countries_NotAmongAddressEntries()
    {
        var node = Section("ip-lists:\n  countries:\n    deny: [XX]\n");

        Assert.Empty(IpListsYaml.Read(node, "palisade.yaml"));
        Assert.Equal(new CountryListEntry("XX", IpListKind.Deny), Assert.Single(IpListsYaml.ReadCountries(node, "palisade.yaml")));
    }

    [Theory]
    [InlineData("ip-lists:\n  countries:\n  deny: [10.0.0.0/8]\n")]
    [InlineData("ip-lists:\n  countries:\n    deny:\n")]
    public void Apply_EmptyCountries_NoRulesAndNoDatabaseNeeded(string yaml) =>
        Assert.Empty(Apply(yaml, "").CountryLists);

    [Fact]
    public void Apply_CountriesWithoutGeoipDatabase_NamesTheOptionAndLine()
    {
        var error = Assert.Throws<ConfigurationException>(() => Apply("ip-lists:\n  deny: [10.0.0.0/8]\n  countries:\n    deny: [XX]\n", ""));

        Assert.Equal("geoip-database", error.Key);
        Assert.Equal("palisade.yaml:3", error.Origin);
    }

    [Theory]
    [InlineData("ip-lists:\n  countries:\n    deny: [nl]\n", "ip-lists.countries.deny[0]", 3)]
    [InlineData("ip-lists:\n  countries:\n    deny: [NL, NLD]\n", "ip-lists.countries.deny[1]", 3)]
    [InlineData("ip-lists:\n  countries:\n    gray:\n      - N1\n", "ip-lists.countries.gray[0]", 4)]
    [InlineData("ip-lists:\n  countries:\n    deny: [\"\"]\n", "ip-lists.countries.deny[0]", 3)]
    [InlineData("ip-lists:\n  countries:\n    deny:\n      - { code: NL }\n", "ip-lists.countries.deny[0]", 4)]
    [InlineData("ip-lists:\n  countries:\n    deny: [NL]\n    gray: [BE, NL]\n", "ip-lists.countries.gray[1]", 4)]
    [InlineData("ip-lists:\n  countries:\n    deny: [NL, NL]\n", "ip-lists.countries.deny[1]", 3)]
    [InlineData("ip-lists:\n  countries:\n    block: [NL]\n", "ip-lists.countries.block", 3)]
    [InlineData("ip-lists:\n  countries:\n    deny: NL\n", "ip-lists.countries.deny", 3)]
    [InlineData("ip-lists:\n  countries: [NL]\n", "ip-lists.countries", 2)]
    [InlineData("ip-lists:\n  country:\n    deny: [NL]\n", "ip-lists.country", 2)]
    public void Apply_Invalid_NamesKeyAndLine(string yaml, string key, int line)
    {
        var error = Assert.Throws<ConfigurationException>(() => Apply(yaml, WithDatabase));

        Assert.Equal(key, error.Key);
        Assert.Equal($"palisade.yaml:{line}", error.Origin);
    }

    private static NodeOptions Apply(string yaml, string database) =>
        IpListsYaml.Apply(new NodeOptions { GeoIpDatabase = database }, Section(yaml), "palisade.yaml");

    private static YamlNode Section(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return ((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("ip-lists")];
    }
}
