using System.Text;

namespace Palisade.Node.Configuration;

/// <summary>Renders the option table of <c>docs/configuration.md</c> from <see cref="NodeSettings"/>, so the document cannot drift from the code.</summary>
public static class NodeSettingsDocumentation
{
    public const string BeginMarker = "<!-- BEGIN GENERATED OPTIONS (NodeSettingsDocumentation; update with PALISADE_UPDATE_GOLDEN=1 dotnet test) -->";
    public const string EndMarker = "<!-- END GENERATED OPTIONS -->";

    public static string RenderTable()
    {
        var sb = new StringBuilder();
        sb.Append("| key (`palisade.yaml`) | flag | environment | default | value |\n");
        sb.Append("|---|---|---|---|---|\n");
        foreach (var setting in NodeSettings.All)
        {
            var flag = setting.Kind == SettingKind.Switch ? $"`{setting.Flag} [BOOL]`" : $"`{setting.Flag} {setting.ValueHint}`";
            var defaultText = setting.DefaultText.Length == 0 ? "(none)" : $"`{setting.DefaultText}`";
            sb.Append($"| `{setting.Key}` | {flag} | `{setting.EnvironmentVariable}` | {defaultText} | {setting.Description.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }

        return sb.ToString();
    }

    /// <summary>The document with the generated section replaced by the current table.</summary>
    public static string Update(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var begin = document.IndexOf(BeginMarker, StringComparison.Ordinal);
        var end = document.IndexOf(EndMarker, StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new FormatException("the document has no generated options section");
        }

        return string.Concat(document.AsSpan(0, begin + BeginMarker.Length), "\n", RenderTable(), document.AsSpan(end));
    }
}
