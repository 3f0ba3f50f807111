using Palisade.Node.Configuration;

namespace Palisade.Node.Tests.Configuration;

/// <summary>docs/configuration.md lists every option exactly as the code defines it; a stale document fails the build.</summary>
public class ConfigurationDocumentTests
{
    [Fact]
    public void ConfigurationDocument_OptionTable_IsUpToDate()
    {
        var path = Path.Combine(RepositoryRoot(), "docs", "configuration.md");
        var current = File.ReadAllText(path);
        var expected = NodeSettingsDocumentation.Update(current);
        if (Environment.GetEnvironmentVariable("PALISADE_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, expected);
            return;
        }

        Assert.True(expected == current, "docs/configuration.md is stale: run PALISADE_UPDATE_GOLDEN=1 dotnet test tests/Palisade.Node.Tests");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Palisade.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Palisade.slnx) above " + AppContext.BaseDirectory);
    }
}
