using System.Net;
using Palisade.Node.Access;
using Palisade.Node.Configuration;
using YamlDotNet.RepresentationModel;

namespace Palisade.Node.Tests.Access;

public sealed class IpListsYamlTests
{
    [Fact]
    public void Read_AllThreeForms_Entries()
    {
        var entries = Read("""
            ip-lists:
              allow:
                - 10.0.0.0/8                       # plain string form
              deny:
                - { cidr: 203.0.113.0/24, reason: "scanner farm", expires: 2026-12-31T00:00:00Z }
              gray:
                - cidr: 2001:db8::/32
                  reason: abuse report
                - 192.0.2.1/24
            """);

        Assert.Equal(4, entries.Count);
        Assert.Equal(new IpListEntry(IPNetwork.Parse("10.0.0.0/8"), IpListKind.Allow), entries[0]);
        Assert.Equal(new IpListEntry(IPNetwork.Parse("203.0.113.0/24"), IpListKind.Deny, "scanner farm", new DateTimeOffset(2026, 12, 31, 0, 0, 0, TimeSpan.Zero)), entries[1]);
        Assert.Equal(new IpListEntry(IPNetwork.Parse("2001:db8::/32"), IpListKind.Gray, "abuse report"), entries[2]);
        Assert.Equal(IPNetwork.Parse("192.0.2.0/24"), entries[3].Network);
        Assert.All(entries, e => Assert.Equal(IpListSource.Config, e.Source));
    }

    [Fact]
    public void Read_EmptyLists_NoEntries() =>
        Assert.Empty(Read("ip-lists:\n  allow:\n  deny: []\n"));

    [Theory]
    [InlineData("ip-lists:\n  deny:\n    - garbage\n", "ip-lists.deny[0]", 3)]
    [InlineData("ip-lists:\n  deny:\n    - 10.0.0.0/8\n    - 10.0.0.0/33\n", "ip-lists.deny[1]", 4)]
    [InlineData("ip-lists:\n  allow:\n    - { cidr: 10.0.0.0/8, color: red }\n", "ip-lists.allow[0]", 3)]
    [InlineData("ip-lists:\n  gray:\n    - cidr: 10.0.0.0/8\n      expires: next tuesday\n", "ip-lists.gray[0]", 4)]
    [InlineData("ip-lists:\n  gray:\n    - reason: no cidr\n", "ip-lists.gray[0]", 3)]
    [InlineData("ip-lists:\n  gray:\n    - cidr: [10.0.0.0/8]\n", "ip-lists.gray[0]", 3)]
    [InlineData("ip-lists:\n  block:\n    - 10.0.0.0/8\n", "ip-lists.block", 2)]
    [InlineData("ip-lists:\n  deny: 10.0.0.0/8\n", "ip-lists.deny", 2)]
    [InlineData("ip-lists:\n  - 10.0.0.0/8\n", "ip-lists", 2)]
    public void Read_Invalid_NamesKeyAndLine(string yaml, string key, int line)
    {
        var error = Assert.Throws<ConfigurationException>(() => Read(yaml));
        Assert.Equal(key, error.Key);
        Assert.Equal($"palisade.yaml:{line}", error.Origin);
    }

    private static IReadOnlyList<IpListEntry> Read(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        return IpListsYaml.Read(root.Children[new YamlScalarNode("ip-lists")], "palisade.yaml");
    }
}
