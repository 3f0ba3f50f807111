using Palisade.Kubernetes.Manifests;

namespace Palisade.Kubernetes.Tests.Manifests;

public sealed class YamlScalarsTests
{
    [Theory]
    [InlineData("8080", "8080")]
    [InlineData("-3", "-3")]
    [InlineData("0644", "420")]
    [InlineData("0o644", "420")]
    [InlineData("0x1F", "31")]
    [InlineData("0.5", "0.5")]
    [InlineData("1e3", "1000")]
    [InlineData("true", "true")]
    [InlineData("yes", "true")]
    [InlineData("Off", "false")]
    [InlineData("~", "null")]
    [InlineData("", "null")]
    [InlineData("0.0.0.0:9900", "\"0.0.0.0:9900\"")]
    [InlineData("1Gi", "\"1Gi\"")]
    [InlineData("089", "89")]
    [InlineData("v1", "\"v1\"")]
    [InlineData(".inf", "\".inf\"")]
    [InlineData("1_000", "\"1_000\"")]
    public void Plain_scalars_resolve_as_kubectl_reads_them(string text, string json)
    {
        Assert.Equal(json, YamlScalars.Resolve(text)?.ToJsonString() ?? "null");
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("8080", true)]
    [InlineData("null", true)]
    [InlineData("enabled", false)]
    [InlineData("palisade.io/inject", false)]
    public void Strings_that_would_read_back_as_something_else_are_quoted(string text, bool quoted)
    {
        Assert.Equal(quoted, YamlScalars.NeedsQuotes(text));
    }

    [Fact]
    public void Written_yaml_reads_back_to_the_same_json()
    {
        const string Yaml = "a: \"yes\"\nb: 8080\nc: |\n  two\n  lines\nd: []\ne: {}\nf: [x, \"1\", null, true]\ng: \"0644\"\n";
        var json = ManifestReader.Read(Yaml)[0].Json;

        var again = ManifestReader.Read(JsonToYaml.Write(json))[0].Json;

        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(json, again), JsonToYaml.Write(json));
    }

    [Fact]
    public void Quoted_block_and_str_tagged_scalars_stay_strings()
    {
        var json = ManifestReader.Read("a: !!str 8080\nb: '8080'\nc: |\n  8080\nd: 8080\ne: !!int \"7\"\n")[0].Json!;

        Assert.Equal("""{"a":"8080","b":"8080","c":"8080\n","d":8080,"e":"7"}""", json.ToJsonString());
    }

    [Theory]
    [InlineData("a: [1, 2", "line")]
    [InlineData("a: 1\na: 2\n", "Duplicate key a")]
    [InlineData("? [a]\n: 1\n", "mapping key")]
    public void Malformed_yaml_is_a_clear_error(string yaml, string message)
    {
        var error = Assert.Throws<ManifestException>(() => ManifestReader.Read(yaml));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
