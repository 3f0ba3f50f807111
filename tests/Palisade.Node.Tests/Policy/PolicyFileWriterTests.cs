using System.Runtime.Versioning;
using Palisade.Node.Configuration;
using Palisade.Node.Policy;
using Palisade.Node.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Palisade.Node.Tests.Policy;

/// <summary>Proposed exclusions added to palisade.yaml as text: comments, layout and line endings kept, the result loads.</summary>
public sealed class PolicyFileWriterTests
{
    private static readonly ProposedExclusion[] Proposal =
    [
        new("fp-abc-1", "/blog/post", "POST", "body.json.comment", "xss.html", "false positive in event abc"),
    ];

    public static TheoryData<string> Layouts() =>
    [
        "mode: block\n",
        "mode: block",
        "",
        "# only a comment\n",
        "mode: block\nexclusions: []\nblock-status: 403\n",
        "mode: block\nexclusions: []",
        "mode: block\nexclusions:\nblock-status: 403\n",
        "mode: block\nexclusions:",
        "mode: block\nexclusions: # none yet\nblock-status: 403\n",
        "exclusions: [] # none yet\nmode: block\n",
        "exclusions:\n  []\nmode: block\n",
        "exclusions:\n  - name: old\n    point: query.x\n# trailing comment\n\nmode: block\n",
        "exclusions:\n- name: old\n  point: query.x\nmode: block\n",
        "mode: block\nexclusions:\n    - name: old\n      point: query.x\n",
        "mode: block\nexclusions:\n    -   name: old\n        point: query.x\n",
        "mode: block\nexclusions:\n  - name: old\n    point: query.x\n    detectors: [xss]",
        "mode: block\nexclusions:\n  - name: old\n    point: query.x\n    detectors: [xss,\n      sqli]\nblock-status: 403\n",
        "exclusions:\n  - name: old\n    point: query.x\n    reason: |\n      exclusions:\n      - not a key\n\nmode: block\n",
        "exclusions:\n  - name: old\n    point: query.x\n    reason: >-\n      folded\n      text\n",
        "routes:\n  - name: r\n    path: /r\nexclusions:\n  - name: old\n    route: r\n    point: query.x\nvirtual-patches:\n  - name: p\n    path: /p\n",
        "\"exclusions\": []\nmode: block\n",
        "'exclusions':\n  - name: old\n    point: query.x\nmode: block\n",
        "exclusions: [ {name: a, point: query.x} ]\nmode: block\n",
        "exclusions: [{name: a, point: query.x}, {name: b, point: query.y}] # two\n",
        "exclusions: [\n  {name: a, point: query.x},\n  {name: b, point: query.y},\n]\nmode: block\n",
        "---\nmode: block\n",
        "--- # the policy\nmode: block\nexclusions:\n  - name: old\n    point: query.x\n",
        "---\nmode: block\n...\n",
        "mode: block\nexclusions:\n- name: old\n  point: query.x\n...\n# after the document\n",
        "---\n...\n",
        "mode:\tblock\t# a tab\nexclusions:\n  - name: old\t# another\n    point: query.x\n",
        "  mode: block\n  block-status: 403\n",
        "  mode: block\n  exclusions:\n    - name: old\n      point: query.x\n",
        "mode: block\r\nexclusions:\r\n  - name: old\r\n    point: query.x\r\n# end\r\n",
        "mode: block\r\nexclusions: []\r\nblock-status: 403\r\n",
        "mode: block\r\n",
        "mode: block\r\nexclusions:\r\n  - name: old\r\n    point: query.x",
        "mode: block\n# exclusions:\n#   - name: commented-out\n",
    ];

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Insert_AnyLayout_KeepsWhatWasThereAndAddsTheProposal(string original)
    {
        var updated = PolicyFileWriter.Insert(original, Proposal, out var reason);

        Assert.True(updated is not null, reason);
        NodeOptions options;
        try
        {
            options = PolicyConfigurationTests.Load(updated);
        }
        catch (ConfigurationException e)
        {
            Assert.Fail($"{e.Message} in:\n{updated}");
            throw;
        }

        var before = original.Length == 0 ? new NodeOptions() : PolicyConfigurationTests.Load(original);
        Assert.Equal([.. before.Exclusions.Select(e => e.Name), "fp-abc-1"], options.Exclusions.Select(e => e.Name));
        var added = options.Exclusions[^1];
        Assert.Equal("body.json.comment", added.Points.Text);
        Assert.Contains("xss.html", added.DetectorIds);
        Assert.Equal("/blog/post", added.Scope.Path?.Text);
        Assert.Equal(before.Mode, options.Mode);
        Assert.Equal(before.BlockStatus, options.BlockStatus);
        Assert.Equal(before.Routes.Count, options.Routes.Count);
        Assert.Equal(before.VirtualPatches.Count, options.VirtualPatches.Count);
        foreach (var line in original.Split('\n').Where(l => l.TrimStart().StartsWith('#') || l.Contains('\t', StringComparison.Ordinal)))
        {
            Assert.Contains(line, updated, StringComparison.Ordinal);
        }

        if (original.Contains("\r\n", StringComparison.Ordinal))
        {
            Assert.DoesNotContain(updated.Replace("\r\n", "", StringComparison.Ordinal), c => c is '\n' or '\r');
        }
    }

    [Fact]
    public void Insert_KeyInsideAnotherMapping_IsNotTheTopLevelOne()
    {
        const string Original = "routes:\n  - name: r\n    exclusions:\n      - name: nested\n        point: query.x\nmode: block\n";

        var updated = PolicyFileWriter.Insert(Original, Proposal, out var reason);

        Assert.True(updated is not null, reason);
        var stream = new YamlStream();
        stream.Load(new StringReader(updated));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var route = (YamlMappingNode)((YamlSequenceNode)root.Children[new YamlScalarNode("routes")]).Children[0];
        var nested = (YamlSequenceNode)route.Children[new YamlScalarNode("exclusions")];
        Assert.Single(nested.Children);
        var top = (YamlSequenceNode)root.Children[new YamlScalarNode("exclusions")];
        Assert.Equal("fp-abc-1", ((YamlScalarNode)((YamlMappingNode)Assert.Single(top.Children)).Children[new YamlScalarNode("name")]).Value);
        Assert.StartsWith(Original, updated, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mode: [unclosed\n")]
    [InlineData("---\nmode: block\n---\nmode: monitor\n")]
    [InlineData("mode: block\n...\n---\nexclusions: []\n")]
    [InlineData("{mode: block}\n")]
    [InlineData("{mode: block, exclusions: []}\n")]
    [InlineData("- mode: block\n")]
    [InlineData("exclusions: 3\n")]
    [InlineData("exclusions: {name: a}\n")]
    [InlineData("exclusions:\n  - name: fp-abc-1\n    point: query.x\n")]
    [InlineData("mode: block\rexclusions: []\r")]
    public void Insert_LayoutItWillNotRewrite_SaysWhy(string original)
    {
        Assert.Null(PolicyFileWriter.Insert(original, Proposal, out var reason));
        Assert.False(string.IsNullOrEmpty(reason));
    }

    [Fact]
    public void AppendExclusions_WrittenFile_LoadsWithTheProposalAndLeavesNoOtherFile()
    {
        using var directory = new TempDirectory();
        var file = directory.File("palisade.yaml");
        File.WriteAllText(file, "# the team's policy\nmode: block\n");

        Assert.Null(PolicyFileWriter.AppendExclusions(file, Proposal));

        var options = NodeOptionsLoader.Load(new NodeConfigurationSources { ConfigFile = file });
        Assert.Equal("fp-abc-1", Assert.Single(options.Exclusions).Name);
        Assert.StartsWith("# the team's policy\nmode: block\n", File.ReadAllText(file), StringComparison.Ordinal);
        Assert.Equal([file], Directory.GetFileSystemEntries(directory.Path));
    }

    [Fact]
    public void AppendExclusions_ByteOrderMarkAndCrLf_AreKept()
    {
        using var directory = new TempDirectory();
        var file = directory.File("palisade.yaml");
        byte[] original = [0xEF, 0xBB, 0xBF, .. "# policy\r\nmode: block\r\nexclusions:\r\n  - name: old\r\n    point: query.x\r\n"u8];
        File.WriteAllBytes(file, original);

        Assert.Null(PolicyFileWriter.AppendExclusions(file, Proposal));

        var written = File.ReadAllBytes(file);
        Assert.Equal(original, written[..original.Length]);
        var text = System.Text.Encoding.UTF8.GetString(written[3..]);
        Assert.DoesNotContain(text.Replace("\r\n", "", StringComparison.Ordinal), c => c is '\n' or '\r');
        Assert.Equal(["old", "fp-abc-1"], NodeOptionsLoader.Load(new NodeConfigurationSources { ConfigFile = file }).Exclusions.Select(e => e.Name));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void AppendExclusions_KeepsThePermissions()
    {
        using var directory = new TempDirectory();
        var file = directory.File("palisade.yaml");
        File.WriteAllText(file, "mode: block\n");
        const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(file, Mode);

        Assert.Null(PolicyFileWriter.AppendExclusions(file, Proposal));

        Assert.Equal(Mode, File.GetUnixFileMode(file));
        Assert.Contains("fp-abc-1", File.ReadAllText(file), StringComparison.Ordinal);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void AppendExclusions_FileWithoutWritePermission_SaysWhyAndLeavesIt()
    {
        using var directory = new TempDirectory();
        var file = directory.File("palisade.yaml");
        File.WriteAllText(file, "mode: block\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        Assert.NotNull(PolicyFileWriter.AppendExclusions(file, Proposal));

        Assert.Equal("mode: block\n", File.ReadAllText(file));
        Assert.Equal([file], Directory.GetFileSystemEntries(directory.Path));
    }

    [Fact]
    public void AppendExclusions_Refused_LeavesTheFileAndNoTemporaryFile()
    {
        using var directory = new TempDirectory();
        var file = directory.File("palisade.yaml");
        const string Original = "mode: block\n---\nmode: monitor\n";
        File.WriteAllText(file, Original);

        Assert.NotNull(PolicyFileWriter.AppendExclusions(file, Proposal));

        Assert.Equal(Original, File.ReadAllText(file));
        Assert.Equal([file], Directory.GetFileSystemEntries(directory.Path));
    }

    [Fact]
    public void AppendExclusions_ManyAtOnce_NoneIsLost()
    {
        using var directory = new TempDirectory();
        var file = directory.File("palisade.yaml");
        File.WriteAllText(file, "mode: block\n");
        const int Count = 16;
        var reasons = new string?[Count];

        Parallel.For(0, Count, new ParallelOptions { MaxDegreeOfParallelism = Count }, i =>
            reasons[i] = PolicyFileWriter.AppendExclusions(file, [Proposal[0] with { Name = $"fp-abc-{i + 1}" }]));

        Assert.All(reasons, Assert.Null);
        var names = NodeOptionsLoader.Load(new NodeConfigurationSources { ConfigFile = file }).Exclusions.Select(e => e.Name).Order(StringComparer.Ordinal);
        Assert.Equal(Enumerable.Range(1, Count).Select(i => $"fp-abc-{i}").Order(StringComparer.Ordinal), names);
        Assert.Equal([file], Directory.GetFileSystemEntries(directory.Path));
    }

    [Fact]
    public void AppendExclusions_LinkToAWritableFile_WritesTheFileAndKeepsTheLink()
    {
        using var directory = new TempDirectory();
        var policies = Directory.CreateDirectory(directory.File("policies")).FullName;
        var target = Path.Combine(policies, "palisade.yaml");
        File.WriteAllText(target, "mode: block\n");
        var link = directory.File("palisade.yaml");
        File.CreateSymbolicLink(link, "policies/palisade.yaml");

        Assert.Null(PolicyFileWriter.AppendExclusions(link, Proposal));

        Assert.Equal("policies/palisade.yaml", new FileInfo(link).LinkTarget);
        Assert.Contains("fp-abc-1", File.ReadAllText(target), StringComparison.Ordinal);
        Assert.Equal([target], Directory.GetFileSystemEntries(policies));
    }

    [Fact]
    public void AppendExclusions_ConfigMapMount_IsRefusedAndLeftAlone()
    {
        // The layout the kubelet gives a ConfigMap volume: the file is a link through ..data into a timestamped directory.
        using var directory = new TempDirectory();
        var version = Directory.CreateDirectory(directory.File("..2026_11_28_13_00_00.000000001")).FullName;
        File.WriteAllText(Path.Combine(version, "palisade.yaml"), "mode: block\n");
        Directory.CreateSymbolicLink(directory.File("..data"), "..2026_11_28_13_00_00.000000001");
        var file = directory.File("palisade.yaml");
        File.CreateSymbolicLink(file, "..data/palisade.yaml");

        var reason = PolicyFileWriter.AppendExclusions(file, Proposal);

        Assert.Contains("ConfigMap", reason, StringComparison.Ordinal);
        Assert.Equal("..data/palisade.yaml", new FileInfo(file).LinkTarget);
        Assert.Equal("mode: block\n", File.ReadAllText(file));
        Assert.Equal([Path.Combine(version, "palisade.yaml")], Directory.GetFileSystemEntries(version));
    }

    [Fact]
    public void AppendExclusions_MissingFile_SaysWhy()
    {
        Assert.NotNull(PolicyFileWriter.AppendExclusions(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "palisade.yaml"), Proposal));
    }
}
