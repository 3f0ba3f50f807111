using System.Text.Json.Nodes;
using Palisade.Kubernetes.Patching;

namespace Palisade.Kubernetes.Tests.Patching;

public sealed class JsonPatchDiffTests
{
    [Theory]
    [InlineData("""{"a":1}""", """{"a":1}""", "")]
    [InlineData("""{"a":1}""", """{"a":2}""", "replace /a 2")]
    [InlineData("""{"a":1}""", """{"a":1,"b":{"c":true}}""", """add /b {"c":true}""")]
    [InlineData("""{"a":1,"b":2}""", """{"a":1}""", "remove /b")]
    [InlineData("""{"m":{"x/y":"1"}}""", """{"m":{"x/y":"1","p.io/s~t":"2"}}""", "add /m/p.io~1s~0t \"2\"")]
    [InlineData("""{"l":[1,2]}""", """{"l":[1,2,3,4]}""", "add /l/2 3|add /l/3 4")]
    [InlineData("""{"l":[1,2]}""", """{"l":[0,1,2]}""", "add /l/0 0")]
    [InlineData("""{"l":[{"n":1},{"n":2}]}""", """{"l":[{"n":1},{"n":3}]}""", "replace /l/1/n 3")]
    [InlineData("""{"l":[1,2,3]}""", """{"l":[3]}""", "replace /l [3]")]
    [InlineData("""{"l":[1,2,3]}""", """{"l":[1]}""", "remove /l/2|remove /l/1")]
    [InlineData("""{"a":null}""", """{"a":{"b":1}}""", """replace /a {"b":1}""")]
    public void Creates_the_smallest_patch(string before, string after, string expected)
    {
        var patch = JsonPatchDiff.Create(JsonNode.Parse(before), JsonNode.Parse(after));

        Assert.Equal(expected, string.Join('|', patch.Select(op => $"{op.Op} {op.Path}" + (op.Op == "remove" ? "" : " " + (op.Value?.ToJsonString() ?? "null")))));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(after), JsonPatchApplier.Apply(JsonNode.Parse(before), patch)));
    }

    [Fact]
    public void Applying_to_a_missing_member_fails_with_the_path()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            JsonPatchApplier.Apply(JsonNode.Parse("""{"a":{}}"""), [new JsonPatchOperation("replace", "/a/b/c", 1)]));

        Assert.Contains("/a/b/c", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pointer_must_start_with_a_slash()
    {
        Assert.Throws<FormatException>(() => JsonPointer.Parse("a/b"));
        Assert.Equal(["a/b", "c~d"], JsonPointer.Parse("/a~1b/c~0d"));
    }
}
