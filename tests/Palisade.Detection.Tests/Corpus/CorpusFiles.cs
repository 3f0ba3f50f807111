using Palisade.Detection.Corpus;
using Palisade.Detection.Engine;

namespace Palisade.Detection.Tests.Corpus;

/// <summary>
/// The labelled corpus the detection tests measure against: <c>PALISADE_CORPUS</c>, or <c>../shared/corpus</c>
/// beside the repository root (the directory holding <c>Palisade.slnx</c>). A missing corpus fails the tests,
/// it never skips them.
/// </summary>
internal static class CorpusFiles
{
    private static readonly Lazy<string> RootPath = new(Locate);
    private static readonly Lazy<HashSet<string>> Ids = new(ReadIds);

    public static string Root => RootPath.Value;

    /// <summary>The repository root: the directory holding <c>Palisade.slnx</c> above the test binaries.</summary>
    public static string RepositoryRoot
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

    /// <summary>Every attack category of the corpus (the file names under <c>attacks/</c>), sorted.</summary>
    public static string[] AllCategories() =>
        Directory.GetFiles(Path.Combine(Root, "attacks"), "*.jsonl").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray()!;

    public static string Attack(string category) => Path.Combine(Root, "attacks", category + ".jsonl");

    public static IReadOnlyList<string> Benign() =>
        Directory.GetFiles(Path.Combine(Root, "benign"), "*.jsonl").Order(StringComparer.Ordinal).ToList();

    /// <summary>Every record id of the corpus, to catch pins that no longer match a record.</summary>
    public static IReadOnlySet<string> AllIds => Ids.Value;

    /// <summary>Runs the engine over the attack files of the given categories and every benign file.</summary>
    public static CorpusEvaluation Evaluate(InspectionEngine engine, params string[] categories)
    {
        var evaluation = new CorpusEvaluation();
        foreach (var file in categories.Select(Attack).Concat(Benign()))
        {
            var dataset = Path.GetFileNameWithoutExtension(file);
            foreach (var line in File.ReadLines(file))
            {
                if (line.Length > 0)
                {
                    var record = CorpusRecord.Parse(line);
                    evaluation.Add(dataset, record, engine.Inspect(record.ToSnapshot()));
                }
            }
        }

        Assert.True(evaluation.Attacks.Count == categories.Length && evaluation.Benign.Total > 0, $"the corpus at {Root} holds no records for {string.Join(", ", categories)}");
        return evaluation;
    }

    private static HashSet<string> ReadIds()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "attacks"), "*.jsonl").Concat(Benign()))
        {
            foreach (var line in File.ReadLines(file))
            {
                if (line.Length > 0)
                {
                    ids.Add(CorpusRecord.Parse(line).Id);
                }
            }
        }

        return ids;
    }

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("PALISADE_CORPUS");
        if (!string.IsNullOrEmpty(configured))
        {
            return Directory.Exists(Path.Combine(configured, "attacks"))
                ? configured
                : throw new InvalidOperationException($"PALISADE_CORPUS={configured} holds no attacks/ folder");
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Palisade.slnx")))
            {
                var corpus = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "corpus"));
                return Directory.Exists(Path.Combine(corpus, "attacks"))
                    ? corpus
                    : throw new InvalidOperationException($"the labelled corpus was not found at {corpus} (beside the repository root); set PALISADE_CORPUS to its directory");
            }
        }

        throw new InvalidOperationException($"no Palisade.slnx above {AppContext.BaseDirectory}, so the corpus cannot be found; set PALISADE_CORPUS");
    }
}
