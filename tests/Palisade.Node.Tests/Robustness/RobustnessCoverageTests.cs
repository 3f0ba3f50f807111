using System.Text.RegularExpressions;

namespace Palisade.Node.Tests.Robustness;

/// <summary>
/// Every case of <c>../shared/ROBUSTNESS.md</c> is either held by a test named with its ID or listed in
/// <c>docs/limits-and-failure-modes.md</c> with its state; and a case the document calls held has such a test.
/// </summary>
public sealed partial class RobustnessCoverageTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void Every_case_is_held_by_a_named_test_or_documented_with_its_state()
    {
        var cases = File.Exists(CasesPath) ? CaseId().Matches(File.ReadAllText(CasesPath)).Select(m => m.Groups[1].Value).ToList() : [];
        if (cases.Count == 0)
        {
            Assert.Skip("ROBUSTNESS.md is not at " + CasesPath + " (set PALISADE_CORPUS next to it)");
        }

        var tested = TestedIds();
        var documented = DocumentedStates();
        var unaccounted = cases.Where(id => !tested.Contains(id) && !documented.ContainsKey(id)).ToList();

        Assert.True(unaccounted.Count == 0, "neither a test named with the ID nor a documented state: " + string.Join(", ", unaccounted));
        Assert.Equal(97, cases.Count);
    }

    [Fact]
    public void A_case_the_document_calls_held_has_a_test_named_with_its_id()
    {
        var tested = TestedIds();
        var claimed = DocumentedStates().Where(p => p.Value == "held" && !tested.Contains(p.Key)).Select(p => p.Key).ToList();

        Assert.True(claimed.Count == 0, "documented as held without a test named with the ID: " + string.Join(", ", claimed));
    }

    private static string CasesPath =>
        Environment.GetEnvironmentVariable("PALISADE_CORPUS") is { Length: > 0 } corpus
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(corpus).TrimEnd('/'))!, "ROBUSTNESS.md")
            : Path.Combine(Root, "..", "shared", "ROBUSTNESS.md");

    private static HashSet<string> TestedIds() =>
        Directory.EnumerateFiles(Path.Combine(Root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => TestName().Matches(File.ReadAllText(f)).SelectMany(m => m.Groups[1].Value.Split('_')))
            .ToHashSet();

    // Rows of the case table: "| F01-F12, F16 | held | ... |" gives F01..F12 and F16 with their state.
    private static Dictionary<string, string> DocumentedStates()
    {
        var states = new Dictionary<string, string>();
        var text = File.ReadAllText(Path.Combine(Root, "docs", "limits-and-failure-modes.md"));
        foreach (Match row in CaseRow().Matches(text))
        {
            var state = row.Groups[2].Value.Trim();
            foreach (var part in row.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var range = part.Split(' ')[0].Split('-');
                var prefix = range[0][0];
                var first = int.Parse(range[0][1..], System.Globalization.CultureInfo.InvariantCulture);
                var last = range.Length > 1 ? int.Parse(range[1][1..], System.Globalization.CultureInfo.InvariantCulture) : first;
                for (var n = first; n <= last; n++)
                {
                    var id = $"{prefix}{n:00}";
                    if (!states.TryGetValue(id, out var existing) || existing == "held")
                    {
                        states[id] = state;
                    }
                }
            }
        }

        return states;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Palisade.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("no Palisade.slnx above the test binaries");
    }

    [GeneratedRegex(@"^\| ([A-Z]\d{2}) \|", RegexOptions.Multiline)]
    private static partial Regex CaseId();

    // Method names that start with one or more IDs: F13_S03_Reject_... holds F13 and S03.
    [GeneratedRegex(@"\b((?:[A-Z]\d{2}_)+)[A-Za-z0-9_]*\(")]
    private static partial Regex TestName();

    [GeneratedRegex(@"^\| ((?:[A-Z]\d{2}(?:-[A-Z]\d{2})?(?: \([^)]*\))?(?:, )?)+) \| (held|pending|partly|not applicable|measured) \|", RegexOptions.Multiline)]
    private static partial Regex CaseRow();
}
