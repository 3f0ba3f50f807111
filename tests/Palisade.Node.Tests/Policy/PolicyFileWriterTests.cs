using Palisade.Node.Configuration;
using Palisade.Node.Policy;

namespace Palisade.Node.Tests.Policy;

/// <summary>Proposed exclusions added to palisade.yaml as text: comments and order kept, the result loads.</summary>
public sealed class PolicyFileWriterTests
{
    private static readonly ProposedExclusion[] Proposal =
    [
        new("fp-abc-1", "/blog/post", "POST", "body.json.comment", "xss.html", "false positive in event abc"),
    ];

    [Theory]
    [InlineData("mode: block\n")]
    [InlineData("mode: block")]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("mode: block\nexclusions: []\nblock-status: 403\n")]
    [InlineData("mode: block\nexclusions:\nblock-status: 403\n")]
    [InlineData("exclusions:\n  - name: old\n    point: query.x\n# trailing comment\n\nmode: block\n")]
    [InlineData("exclusions:\n- name: old\n  point: query.x\nmode: block\n")]
    [InlineData("mode: block\nexclusions:\n    - name: old\n      point: query.x\n")]
    [InlineData("mode: block\nexclusions:\n  - name: old\n    point: query.x\n    detectors: [xss]")]
    [InlineData("routes:\n  - name: r\n    path: /r\nexclusions:\n  - name: old\n    route: r\n    point: query.x\nvirtual-patches:\n  - name: p\n    path: /p\n")]
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

        Assert.Contains(options.Exclusions, e => e.Name == "fp-abc-1" && e.Points.Text == "body.json.comment" && e.DetectorIds.Contains("xss.html"));
        var before = original.Length == 0 ? new NodeOptions() : PolicyConfigurationTests.Load(original);
        Assert.Equal(before.Exclusions.Count + 1, options.Exclusions.Count);
        Assert.Equal(before.Mode, options.Mode);
        Assert.Equal(before.Routes.Count, options.Routes.Count);
        Assert.Equal(before.VirtualPatches.Count, options.VirtualPatches.Count);
        foreach (var line in original.Split('\n').Where(l => l.TrimStart().StartsWith('#')))
        {
            Assert.Contains(line, updated, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("exclusions: [{name: a, point: query.x}]\n")]
    [InlineData("mode: [unclosed\n")]
    public void Insert_LayoutItWillNotRewrite_SaysWhy(string original)
    {
        Assert.Null(PolicyFileWriter.Insert(original, Proposal, out var reason));
        Assert.False(string.IsNullOrEmpty(reason));
    }

    [Fact]
    public void AppendExclusions_TemporaryFileCannotBeWritten_SaysWhyAndLeavesTheFile()
    {
        // The node runs as root in tests, so permissions cannot make a write fail: a directory where the temporary
        // file must go does.
        var directory = Directory.CreateTempSubdirectory("palisade-writer-");
        var file = Path.Combine(directory.FullName, "palisade.yaml");
        File.WriteAllText(file, "mode: block\n");
        Directory.CreateDirectory(Path.Combine(directory.FullName, $".palisade.yaml.{Environment.ProcessId}.tmp"));
        try
        {
            var reason = PolicyFileWriter.AppendExclusions(file, Proposal);

            Assert.NotNull(reason);
            Assert.Equal("mode: block\n", File.ReadAllText(file));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void AppendExclusions_WrittenFile_LoadsWithTheProposal()
    {
        var directory = Directory.CreateTempSubdirectory("palisade-writer-");
        var file = Path.Combine(directory.FullName, "palisade.yaml");
        File.WriteAllText(file, "# the team's policy\nmode: block\n");
        try
        {
            Assert.Null(PolicyFileWriter.AppendExclusions(file, Proposal));

            var options = NodeOptionsLoader.Load(new NodeConfigurationSources { ConfigFile = file });
            Assert.Equal("fp-abc-1", Assert.Single(options.Exclusions).Name);
            Assert.StartsWith("# the team's policy\n", File.ReadAllText(file), StringComparison.Ordinal);
            Assert.Single(Directory.GetFiles(directory.FullName));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void AppendExclusions_MissingFile_SaysWhy()
    {
        Assert.NotNull(PolicyFileWriter.AppendExclusions(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "palisade.yaml"), Proposal));
    }

    [Fact]
    public void Propose_Findings_NarrowestPerPointAndDetector()
    {
        var proposals = ExclusionProposer.Propose("Req-42", "POST", "/blog//post/./", [
            ("xss", "body.json.comment", "xss.html"),
            ("xss", "body.json.comment", "xss.html"),
            ("sqli", "query.q|percent", "sqli.grammar"),
            ("overlimit", "request", "engine.budget"),
            ("virtual_patch", "query.debug", "rule.no-debug"),
        ]);

        Assert.Equal(["fp-req42-1", "fp-req42-2"], proposals.Select(p => p.Name));
        Assert.All(proposals, p => Assert.Equal("/blog/post/", p.Path));
        Assert.Equal(["body.json.comment", "query.q|percent"], proposals.Select(p => p.Point));
    }
}
