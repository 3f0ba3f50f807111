using Palisade.Node.Configuration;
using Palisade.Node.Policy;
using YamlDotNet.RepresentationModel;

namespace Palisade.Node.Tests.Policy;

/// <summary>A proposal's YAML, read by the reader palisade.yaml goes through, says exactly what the proposal holds.</summary>
public sealed class ProposedExclusionTests
{
    public static TheoryData<string> NastyValues() =>
    [
        "*alias", "&anchor", "!tag", "!!str", "|", ">", "%TAG", "@at", "`tick", "'single", "\"double", "it's", "say \"hi\"",
        "a: b", "a:b", "a #b", "#comment", "- item", "-", "? key", "[a]", "{a: b}", ",", "a,b",
        "yes", "no", "on", "off", "y", "n", "true", "False", "null", "Null", "~", "",
        "123", "-1", "0x1F", "0o17", "1e3", ".inf", "-.Inf", ".nan", "1_000", "12:30",
        " lead", "trail ", " ", "  both  ", "\tlead-tab", "trail-tab\t",
        "ü-é", "日本語", "emoji 😀", "\u00a0nbsp", "\ufeffbom", "\u0085nel", "\u2028line", "\u2029para",
        "a\tb", "a\nb", "a\r\nb", "a\rb", "trailing\n", "\nleading", "a\n\nb", "ctrl\u0001\u001b\u007f", "nul\0", "back\\slash", "\\n",
        "---", "...", "<<", "=",
    ];

    [Theory]
    [MemberData(nameof(NastyValues))]
    public void ToYaml_AnyText_ReadsBackAsItIs(string value)
    {
        var proposal = new ProposedExclusion(value, value, value, value, value, value);

        foreach (var yaml in new[]
        {
            "exclusions:\n" + proposal.ToYaml(),
            "exclusions:\r\n" + proposal.ToYaml("    ", "\r\n"),
            "exclusions: [" + proposal.ToFlowYaml() + "]\n",
        })
        {
            var mapping = ReadItem(yaml);

            Assert.Equal(value, mapping.OptionalString("name"));
            Assert.Equal(value, mapping.OptionalString("path"));
            Assert.Equal("exact", mapping.OptionalString("path-match"));
            Assert.Equal([value], mapping.OptionalList("methods"));
            Assert.Equal(value, mapping.OptionalString("point"));
            Assert.Equal([value], mapping.OptionalList("detectors"));
            Assert.Equal(value, mapping.OptionalString("reason"));
            mapping.EnsureAllRead();
        }
    }

    [Theory]
    [InlineData("/yes", "body.json.no")]
    [InlineData("/~", "query.~")]
    [InlineData("/&a", "query.&a")]
    [InlineData("/!x", "query.!x")]
    [InlineData("/'q'", "body.json[\"it's\"]")]
    [InlineData("/a:b", "header.x:y")]
    [InlineData("/100%25", "query.%41")]
    [InlineData("/a%20b", "body.json[\"a.b\"]")]
    [InlineData("/%2A", "query.`x`")]
    [InlineData("/1e3", "query.1e3")]
    [InlineData("/ü/日本", "body.json.ü")]
    [InlineData("/null", "body.json.@id")]
    public void ToYaml_ValidButAwkwardPathAndPoint_LoadAsProposed(string path, string point)
    {
        var proposal = new ProposedExclusion("fp-x-1", path, "POST", point, "xss.html", $"false positive: {point} ~ # {path}");

        var options = PolicyConfigurationTests.Load("exclusions:\n" + proposal.ToYaml());

        var exclusion = Assert.Single(options.Exclusions);
        Assert.Equal("fp-x-1", exclusion.Name);
        Assert.Equal(Palisade.Detection.Rules.RulePath.Normalize(path).Value, exclusion.Scope.Path?.Text);
        Assert.Equal(point, exclusion.Points.Text);
        Assert.Equal(["POST"], exclusion.Scope.Methods!);
        Assert.Equal(["xss.html"], exclusion.DetectorIds);
    }

    private static YamlMapping ReadItem(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var item = Assert.Single(YamlMapping.Sequence(root.Children[new YamlScalarNode("exclusions")], "exclusions", "test"));
        return YamlMapping.Of(item, "exclusions[0]", "test");
    }
}
