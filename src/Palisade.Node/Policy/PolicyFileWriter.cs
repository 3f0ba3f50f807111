using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Palisade.Node.Policy;

/// <summary>
/// Adds exclusions to <c>palisade.yaml</c> as text, so the operator's comments, order and formatting stay as
/// written: after the last item of a block <c>exclusions:</c> list, in place of an empty one, or as a new section
/// at the end. The result is written to a temporary file beside it and renamed over it (a reader never sees half
/// a file). Returns null when done, or why not (read-only file, a list in a form it will not rewrite).
/// </summary>
public static class PolicyFileWriter
{
    public static string? AppendExclusions(string file, IReadOnlyList<ProposedExclusion> exclusions)
    {
        ArgumentNullException.ThrowIfNull(exclusions);
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot read {file}: {e.Message}";
        }

        var updated = Insert(text, exclusions, out var reason);
        if (updated is null)
        {
            return reason;
        }

        var temporary = Path.Combine(Path.GetDirectoryName(file) ?? ".", $".{Path.GetFileName(file)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllText(temporary, updated);
            File.Move(temporary, file, overwrite: true);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            return $"cannot write {file}: {e.Message}";
        }
    }

    /// <summary>The file's text with the exclusions added, or null with the reason.</summary>
    public static string? Insert(string text, IReadOnlyList<ProposedExclusion> exclusions, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(exclusions);
        reason = null;
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            reason = $"the file is not valid YAML: {e.Message}";
            return null;
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        var root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode as YamlMappingNode;
        var key = new YamlScalarNode("exclusions");
        if (root is null || !root.Children.TryGetValue(key, out var node))
        {
            var section = new StringBuilder();
            if (text.Length > 0 && !text.EndsWith('\n'))
            {
                section.Append('\n');
            }

            section.Append("exclusions:\n");
            foreach (var exclusion in exclusions)
            {
                section.Append(exclusion.ToYaml());
            }

            return text + section;
        }

        var keyLine = (int)root.Children.Keys.First(k => k.Equals(key)).Start.Line - 1;
        if (node is YamlScalarNode { Value: null or "" } || node is YamlSequenceNode { Style: YamlDotNet.Core.Events.SequenceStyle.Flow, Children.Count: 0 })
        {
            if (node.Start.Line != node.End.Line && node is YamlSequenceNode)
            {
                reason = "the exclusions list spans several lines in flow style: add the proposal by hand";
                return null;
            }

            lines[keyLine] = lines[keyLine][..lines[keyLine].IndexOf("exclusions", StringComparison.Ordinal)] + "exclusions:";
            lines.InsertRange(keyLine + 1, Items(exclusions, "  "));
            return string.Join('\n', lines);
        }

        if (node is not YamlSequenceNode { Style: not YamlDotNet.Core.Events.SequenceStyle.Flow } sequence || sequence.Children.Count == 0)
        {
            reason = "the exclusions list is in flow style: add the proposal by hand";
            return null;
        }

        var first = sequence.Children[0];
        var indent = new string(' ', Math.Max(0, (int)first.Start.Column - 3));
        // The list runs until the next top-level key: its lines are indented, items ("- "), blank or comments.
        var insertAt = keyLine + 1;
        while (insertAt < lines.Count && (lines[insertAt].Length == 0 || lines[insertAt][0] is ' ' or '\t' or '-' or '#'))
        {
            insertAt++;
        }

        // Comments and blank lines before the next key belong to what follows.
        while (insertAt > keyLine + 1 && IsBlankOrComment(lines[insertAt - 1]))
        {
            insertAt--;
        }

        lines.InsertRange(insertAt, Items(exclusions, indent));
        return string.Join('\n', lines);
    }

    private static IEnumerable<string> Items(IReadOnlyList<ProposedExclusion> exclusions, string indent) =>
        exclusions.SelectMany(e => e.ToYaml(indent).TrimEnd('\n').Split('\n'));

    private static bool IsBlankOrComment(string line) => line.TrimStart() is "" or ['#', ..];

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind: the next write replaces it.
        }
    }
}
