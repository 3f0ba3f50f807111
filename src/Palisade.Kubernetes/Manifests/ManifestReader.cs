using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Palisade.Kubernetes.Manifests;

/// <summary>Splits a multi-document YAML stream into documents, each with its JSON form and its original text.</summary>
public static class ManifestReader
{
    public static IReadOnlyList<ManifestDocument> Read(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var spans = new List<(int Start, int End, int Line)>();
        var stream = new YamlStream();
        try
        {
            var parser = new Parser(new StringReader(yaml));
            var start = 0;
            var line = 1;
            while (parser.MoveNext())
            {
                switch (parser.Current)
                {
                    case DocumentStart documentStart:
                        start = (int)documentStart.Start.Index;
                        line = (int)documentStart.Start.Line;
                        break;
                    case DocumentEnd documentEnd:
                        spans.Add((start, (int)documentEnd.End.Index, line));
                        break;
                }
            }

            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ManifestException($"line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}", e);
        }

        var documents = new List<ManifestDocument>();
        for (var i = 0; i < stream.Documents.Count; i++)
        {
            var (start, end, line) = spans[i];
            var root = stream.Documents[i].RootNode;
            var json = root is YamlScalarNode { Value: null or "" } ? null : YamlToJson.Convert(root);
            documents.Add(new ManifestDocument(json, Text(yaml, start, end), line));
        }

        return documents;
    }

    // The document as written, without its "---" line (the writer puts one between documents).
    private static string Text(string yaml, int start, int end)
    {
        var text = yaml[start..Math.Min(end, yaml.Length)];
        if (text.StartsWith("---", StringComparison.Ordinal))
        {
            var newline = text.IndexOf('\n', StringComparison.Ordinal);
            text = newline < 0 ? "" : text[(newline + 1)..];
        }

        return text.Trim('\n', '\r') + "\n";
    }
}
