using Palisade.Node.Configuration;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Palisade.Node.Policy;

/// <summary>
/// The text edit behind <see cref="PolicyFileWriter"/>: where in <c>palisade.yaml</c> new exclusions go, found
/// from the positions the YAML reader gives (never from guessing at lines), and the check that the edited text
/// means what the old one did plus the new exclusions.
/// </summary>
internal static class PolicyTextEditor
{
    private const string Key = "exclusions";

    public static string? Insert(string text, IReadOnlyList<ProposedExclusion> exclusions, out string? reason)
    {
        reason = null;
        if (HasOtherLineBreaks(text))
        {
            reason = "the file holds line breaks other than LF and CRLF: add the proposal by hand";
            return null;
        }

        var stream = Load(text, out reason);
        if (stream is null)
        {
            return null;
        }

        var root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        if (root is YamlScalarNode { Value: null or "" })
        {
            root = null;
        }

        if (root is not null and not YamlMappingNode)
        {
            reason = "the file is not a mapping of keys to values";
            return null;
        }

        var mapping = (YamlMappingNode?)root;
        if (mapping is { Style: MappingStyle.Flow })
        {
            reason = "the file is a flow-style mapping ({...}): add the proposal by hand";
            return null;
        }

        var lines = new LineTable(text);
        var entry = mapping?.Children.FirstOrDefault(pair => pair.Key is YamlScalarNode { Value: Key });
        if (entry?.Key is not { } keyNode)
        {
            return AddSection(text, lines, mapping, exclusions);
        }

        var value = entry.Value.Value;
        if (Existing(value).Select(NameOf).Intersect(exclusions.Select(e => e.Name)).FirstOrDefault() is { } taken)
        {
            reason = $"an exclusion named '{taken}' is in the file already";
            return null;
        }

        var indent = new string(' ', (int)keyNode.Start.Column - 1 + 2);
        switch (value)
        {
            case YamlScalarNode { Value: null or "" } empty:
                return ReplaceEmpty(text, lines, keyNode, (lines.Offset(empty.Start), lines.Offset(empty.End)), exclusions, indent);
            case YamlSequenceNode { Style: SequenceStyle.Flow } flow when FlowBounds(text, lines, flow) is var (start, lastItemEnd, end):
                return flow.Children.Count == 0
                    ? ReplaceEmpty(text, lines, keyNode, (start, end), exclusions, indent)
                    : text.Insert(lastItemEnd, string.Concat(exclusions.Select(e => ", " + e.ToFlowYaml())));
            case YamlSequenceNode sequence:
                var itemIndent = new string(' ', (int)sequence.Start.Column - 1);
                return InsertLines(text, lines.After(EndOf(text, lines, LastLeaf(sequence))), Items(exclusions, itemIndent, lines.Newline), lines.Newline);
            default:
                reason = "the exclusions key does not hold a list: add the proposal by hand";
                return null;
        }
    }

    /// <summary>True when <paramref name="updated"/> reads as <paramref name="original"/> plus the exclusions at the end of the list, and loads.</summary>
    public static bool Verify(string original, string updated, IReadOnlyList<ProposedExclusion> exclusions, out string? reason)
    {
        reason = "adding the exclusions as text would change the file's meaning: add the proposal by hand";
        var before = Load(original, out _);
        var after = Load(updated, out var error);
        if (before is null || after is null || after.Documents.Count != 1 || after.Documents[0].RootNode is not YamlMappingNode root)
        {
            reason = error ?? reason;
            return false;
        }

        try
        {
            _ = YamlConfigFile.Parse(updated, "palisade.yaml");
        }
        catch (ConfigurationException e)
        {
            reason = $"the file would not load: {e.Message}";
            return false;
        }

        var old = before.Documents.Count == 0 ? null : before.Documents[0].RootNode as YamlMappingNode;
        var oldEntries = old?.Children.Where(p => p.Key is not YamlScalarNode { Value: Key }).ToList() ?? [];
        var newEntries = root.Children.Where(p => p.Key is not YamlScalarNode { Value: Key }).ToList();
        if (oldEntries.Count != newEntries.Count || oldEntries.Zip(newEntries).Any(p => !Same(p.First.Key, p.Second.Key) || !Same(p.First.Value, p.Second.Value)))
        {
            return false;
        }

        var oldItems = Existing(old?.Children.FirstOrDefault(p => p.Key is YamlScalarNode { Value: Key }).Value);
        var newValue = root.Children.FirstOrDefault(p => p.Key is YamlScalarNode { Value: Key }).Value;
        if (newValue is not YamlSequenceNode sequence)
        {
            return false;
        }

        var expected = oldItems.Concat(exclusions.Select(Parsed)).ToList();
        if (sequence.Children.Count != expected.Count || sequence.Children.Zip(expected).Any(p => !Same(p.First, p.Second)))
        {
            return false;
        }

        reason = null;
        return true;
    }

    private static YamlStream? Load(string text, out string? reason)
    {
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

        if (stream.Documents.Count > 1)
        {
            reason = "the file holds several YAML documents (---): add the proposal by hand";
            return null;
        }

        return stream;
    }

    private static string AddSection(string text, LineTable lines, YamlMappingNode? root, IReadOnlyList<ProposedExclusion> exclusions)
    {
        var indent = root is null ? "" : new string(' ', (int)root.Start.Column - 1);
        var section = indent + Key + ":" + lines.Newline + Items(exclusions, indent + "  ", lines.Newline);
        // Inside the document: before its end marker (...) if it has one, after the last line otherwise.
        var from = root is null ? 0 : lines.LineOf(lines.After(EndOf(text, lines, LastLeaf(root))));
        for (var line = from; line < lines.Count; line++)
        {
            if (lines.IsDocumentEnd(line))
            {
                return text.Insert(lines.Start(line), section);
            }
        }

        return InsertLines(text, text.Length, section, lines.Newline);
    }

    // Whole lines in at a line start, or at the end of a text whose last line has no line break yet.
    private static string InsertLines(string text, int at, string block, string newline) =>
        text.Insert(at, at == text.Length && text.Length > 0 && !text.EndsWith('\n') ? newline + block : block);

    // `exclusions:` or `exclusions: []`: the empty value goes, the items follow the line it was on.
    private static string ReplaceEmpty(string text, LineTable lines, YamlNode key, (int Start, int End) empty, IReadOnlyList<ProposedExclusion> exclusions, string indent)
    {
        var (start, end) = empty;
        var at = lines.EndOfLine(end > start ? lines.LineOf(end - 1) : (int)key.End.Line - 1);
        var inserted = InsertLines(text, at, Items(exclusions, indent, lines.Newline), lines.Newline);
        return end > start ? inserted.Remove(start, end - start) : inserted;
    }

    /// <summary>
    /// Where a flow collection's text starts (its '[' or '{'), where its last item ends and where it ends (past
    /// its ']' or '}'), from the reader's events: the node itself only knows where it starts.
    /// </summary>
    private static (int Start, int LastItemEnd, int End)? FlowBounds(string text, LineTable lines, YamlNode collection)
    {
        var parser = new Parser(new StringReader(text));
        var depth = -1;
        var start = 0;
        var lastItemEnd = 0;
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            if (depth < 0)
            {
                if (current is SequenceStart or MappingStart && current.Start.Line == collection.Start.Line && current.Start.Column == collection.Start.Column)
                {
                    (depth, start, lastItemEnd) = (0, lines.Offset(current.Start), lines.Offset(current.End));
                }

                continue;
            }

            // A collection's end event stands at its closing bracket, a scalar's ends just past its text.
            depth += current.NestingIncrease;
            var end = current is SequenceEnd or MappingEnd ? lines.Offset(current.Start) + 1 : lines.Offset(current.End);
            if (depth < 0)
            {
                return text[end - 1] is ']' or '}' ? (start, lastItemEnd, end) : null;
            }

            if (depth == 0)
            {
                lastItemEnd = end;
            }
        }

        return null;
    }

    // Where a scalar or flow collection's text ends.
    private static int EndOf(string text, LineTable lines, YamlNode node) =>
        node is YamlScalarNode ? lines.Offset(node.End) : FlowBounds(text, lines, node)?.End ?? lines.Offset(node.End);

    private static string Items(IReadOnlyList<ProposedExclusion> exclusions, string indent, string newline) =>
        string.Concat(exclusions.Select(e => e.ToYaml(indent, newline)));

    private static YamlNode Parsed(ProposedExclusion exclusion)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader("- " + exclusion.ToFlowYaml() + "\n"));
        return ((YamlSequenceNode)stream.Documents[0].RootNode).Children[0];
    }

    private static List<YamlNode> Existing(YamlNode? value) => value is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    private static string? NameOf(YamlNode item) =>
        item is YamlMappingNode mapping && mapping.Children.FirstOrDefault(p => p.Key is YamlScalarNode { Value: "name" }).Value is YamlScalarNode name ? name.Value : null;

    // The node whose text ends a block collection: the last value of its last entry, all the way down to a scalar or a flow collection.
    private static YamlNode LastLeaf(YamlNode node) => node switch
    {
        YamlMappingNode { Style: not MappingStyle.Flow, Children.Count: > 0 } mapping => LastLeaf(mapping.Children.Last().Value),
        YamlSequenceNode { Style: not SequenceStyle.Flow, Children.Count: > 0 } sequence => LastLeaf(sequence.Children[^1]),
        _ => node,
    };

    private static bool Same(YamlNode a, YamlNode b) => (a, b) switch
    {
        (YamlScalarNode x, YamlScalarNode y) => x.Value == y.Value && x.Tag.Equals(y.Tag),
        (YamlSequenceNode x, YamlSequenceNode y) => x.Children.Count == y.Children.Count && x.Children.Zip(y.Children).All(p => Same(p.First, p.Second)),
        (YamlMappingNode x, YamlMappingNode y) => x.Children.Count == y.Children.Count
            && x.Children.Zip(y.Children).All(p => Same(p.First.Key, p.Second.Key) && Same(p.First.Value, p.Second.Value)),
        _ => false,
    };

    private static bool HasOtherLineBreaks(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if ((text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')) || text[i] is '\u0085' or '\u2028' or '\u2029')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Where each line starts, to turn the reader's line and column into an offset in the text.</summary>
    private sealed class LineTable
    {
        private readonly string _text;
        private readonly List<int> _starts = [0];

        public LineTable(string text)
        {
            _text = text;
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    _starts.Add(i + 1);
                }
            }

            var first = text.IndexOf('\n', StringComparison.Ordinal);
            Newline = first > 0 && text[first - 1] == '\r' ? "\r\n" : "\n";
        }

        /// <summary>The file's own line ending, kept for the lines added.</summary>
        public string Newline { get; }

        public int Count => _starts.Count;

        public int Start(int line) => _starts[line];

        public int Offset(Mark mark) => Math.Min(_text.Length, _starts[Math.Min((int)mark.Line - 1, _starts.Count - 1)] + (int)mark.Column - 1);

        public int LineOf(int offset)
        {
            var index = _starts.BinarySearch(offset);
            return index >= 0 ? index : ~index - 1;
        }

        /// <summary>Just past the end of the line (its line break included), or the end of the text.</summary>
        public int EndOfLine(int line) => line + 1 < _starts.Count ? _starts[line + 1] : _text.Length;

        /// <summary>Where lines can go after text ending at <paramref name="end"/>: there when it is a line start (after a block scalar), after that line otherwise.</summary>
        public int After(int end) => end > 0 && _text[end - 1] == '\n' ? end : EndOfLine(LineOf(end));

        public bool IsDocumentEnd(int line)
        {
            var text = _text.AsSpan(_starts[line], EndOfLine(line) - _starts[line]).TrimEnd("\r\n");
            return text.StartsWith("...") && (text.Length == 3 || text[3] is ' ' or '\t' or '#');
        }
    }
}
