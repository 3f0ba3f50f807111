using Palisade.Kubernetes.Injection;
using Palisade.Kubernetes.Manifests;
using Palisade.Kubernetes.Models;

namespace Palisade.Kubernetes.Tests.Manifests;

/// <summary>
/// Golden files: each <c>testdata/inject/NAME.yaml</c> is injected and compared with <c>golden/NAME.yaml</c> (what each
/// workload came to, as comments, then the manifest printed). A first line <c># palisade-inject: FLAGS</c> sets the
/// injector's options (<c>--all</c>, <c>--legacy-sidecar</c>, <c>--capture=service</c>, <c>--mode=MODE</c>).
/// Regenerate with <c>PALISADE_UPDATE_GOLDEN=1 dotnet test tests/Palisade.Kubernetes.Tests</c>; a golden without its
/// input fails the run.
/// </summary>
public sealed class ManifestInjectorGoldenTests
{
    internal static readonly string Folder = Path.Combine(RepositoryPaths.Root, "tests", "Palisade.Kubernetes.Tests", "Manifests", "testdata", "inject");

    public static TheoryData<string> Cases()
    {
        var cases = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.yaml").Order(StringComparer.Ordinal))
        {
            cases.Add(Path.GetFileNameWithoutExtension(file));
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Output_matches_the_golden_file(string name)
    {
        var (options, all) = OptionsFor(File.ReadAllText(Path.Combine(Folder, name + ".yaml")));
        var injection = ManifestInjector.Inject(File.ReadAllText(Path.Combine(Folder, name + ".yaml")), options, all);
        var actual = Render(injection);
        var goldenPath = Path.Combine(Folder, "golden", name + ".yaml");
        if (RepositoryPaths.UpdateGoldens)
        {
            File.WriteAllText(goldenPath, actual);
        }

        Assert.True(File.Exists(goldenPath), $"no golden for {name}: run PALISADE_UPDATE_GOLDEN=1 dotnet test tests/Palisade.Kubernetes.Tests");
        var expected = File.ReadAllText(goldenPath);
        Assert.True(expected == actual, $"golden/{name}.yaml is stale: run PALISADE_UPDATE_GOLDEN=1 dotnet test tests/Palisade.Kubernetes.Tests\n--- actual ---\n{actual}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void W01_Injecting_the_output_again_changes_nothing(string name)
    {
        var input = File.ReadAllText(Path.Combine(Folder, name + ".yaml"));
        var (options, all) = OptionsFor(input);
        var first = ManifestInjector.Inject(input, options, all);
        if (first.Denied)
        {
            return;
        }

        var second = ManifestInjector.Inject(first.Yaml, options, all);

        Assert.Equal(first.Yaml, second.Yaml);
        Assert.All(second.Workloads, w => Assert.Equal(InjectionOutcome.Skipped, w.Result.Outcome));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_injected_pod_passes_the_schema_check(string name)
    {
        var input = File.ReadAllText(Path.Combine(Folder, name + ".yaml"));
        var (options, all) = OptionsFor(input);
        var injection = ManifestInjector.Inject(input, options, all);
        foreach (var workload in injection.Workloads.Where(w => w.Result.Outcome == InjectionOutcome.Injected))
        {
            var pod = workload.Result.Pod!;
            var roundTripped = ModelJson.Deserialize(ModelJson.Serialize(pod));
            Assert.Empty(PodSchema.Check(roundTripped.Metadata, roundTripped.Spec));
        }
    }

    [Fact]
    public void Every_golden_file_has_its_input()
    {
        var stale = Directory.GetFiles(Path.Combine(Folder, "golden"), "*.yaml")
            .Where(golden => !File.Exists(Path.Combine(Folder, Path.GetFileName(golden))))
            .Select(Path.GetFileName)
            .ToList();
        Assert.True(stale.Count == 0, "goldens without an input (delete them): " + string.Join(", ", stale));
    }

    private static string Render(ManifestInjection injection)
    {
        var lines = injection.Workloads.Select(w => $"# {w.Workload}: {w.Result.Describe()}\n");
        return string.Concat(lines) + (injection.Denied ? "# (nothing printed: the command fails)\n" : injection.Yaml);
    }

    internal static (InjectionOptions Options, bool All) OptionsFor(string input)
    {
        const string Directive = "# palisade-inject:";
        var options = new InjectionOptions();
        var all = false;
        var first = input.Split('\n', 2)[0];
        if (!first.StartsWith(Directive, StringComparison.Ordinal))
        {
            return (options, all);
        }

        foreach (var flag in first[Directive.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            options = flag switch
            {
                "--all" => options,
                "--legacy-sidecar" => options with { NativeSidecar = false },
                "--capture=service" => options with { Capture = CaptureMode.Service },
                _ when flag.StartsWith("--mode=", StringComparison.Ordinal) => options with { Mode = flag["--mode=".Length..] },
                _ => throw new InvalidOperationException($"unknown flag in the case's directive: {flag}"),
            };
            all |= flag == "--all";
        }

        return (options, all);
    }
}
