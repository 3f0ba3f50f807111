using System.Globalization;
using System.Text;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Tests.Detectors;

/// <summary>Loads the case files that sit beside a detector's tests (<c>Detectors/&lt;Type&gt;/cases/*.txt</c>).</summary>
public static class DetectorCaseFiles
{
    public static TheoryData<DetectorCase> Load(string folder)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "Detectors", folder, "cases");
        var data = new TheoryData<DetectorCase>();
        var files = Directory.GetFiles(directory, "*.txt");
        if (files.Length == 0)
        {
            throw new InvalidOperationException($"no case files in {directory}");
        }

        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            var lineNumber = 0;
            foreach (var line in File.ReadLines(file))
            {
                lineNumber++;
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                var parts = line.Split('\t');
                if (parts.Length < 2 || parts[0] is not ("attack" or "benign"))
                {
                    throw new FormatException($"{file}:{lineNumber}: expected 'attack|benign<TAB>value[<TAB>source]'");
                }

                data.Add(new DetectorCase(Path.GetFileName(file), lineNumber, parts[0] == "attack", Unescape(parts[1]), parts.Length > 2 ? parts[2] : "query"));
            }
        }

        return data;
    }

    /// <summary>The origin a case's source column stands for: <c>query</c>, <c>json</c>, <c>header:referer</c>, <c>name</c>, <c>filename</c> (a multipart part's file name), <c>file</c> (an uploaded file's content).</summary>
    public static ValueOrigin Origin(string source)
    {
        if (source.StartsWith("header:", StringComparison.Ordinal))
        {
            return new ValueOrigin(ValueSource.Header, Header: source["header:".Length..]);
        }

        return source switch
        {
            "name" => new ValueOrigin(ValueSource.Query, IsName: true),
            "path" => new ValueOrigin(ValueSource.Path),
            "cookie" => new ValueOrigin(ValueSource.Cookie),
            "form" => new ValueOrigin(ValueSource.Form),
            "json" => new ValueOrigin(ValueSource.Json),
            "multipart" => new ValueOrigin(ValueSource.Multipart),
            "filename" => new ValueOrigin(ValueSource.Multipart, IsFileName: true),
            "file" => new ValueOrigin(ValueSource.Multipart) { IsFileContent = true },
            "body" => new ValueOrigin(ValueSource.Body),
            "query" => new ValueOrigin(ValueSource.Query),
            _ => throw new FormatException($"unknown case source '{source}'"),
        };
    }

    private static string Unescape(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length)
            {
                sb.Append(text[i]);
                continue;
            }

            var next = text[++i];
            switch (next)
            {
                case 't': sb.Append('\t'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case '0': sb.Append('\0'); break;
                case '\\': sb.Append('\\'); break;
                case 'u' when i + 4 < text.Length:
                    sb.Append((char)int.Parse(text.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default: sb.Append('\\').Append(next); break;
            }
        }

        return sb.ToString();
    }
}
