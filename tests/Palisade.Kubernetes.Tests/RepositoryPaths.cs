namespace Palisade.Kubernetes.Tests;

internal static class RepositoryPaths
{
    /// <summary>The repository root: the directory holding <c>Palisade.slnx</c> above the test binaries.</summary>
    public static string Root
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Palisade.slnx")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException($"no Palisade.slnx above {AppContext.BaseDirectory}");
        }
    }

    public static bool UpdateGoldens => Environment.GetEnvironmentVariable("PALISADE_UPDATE_GOLDEN") == "1";
}
