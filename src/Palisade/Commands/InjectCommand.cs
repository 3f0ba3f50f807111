using System.CommandLine;
using Palisade.Kubernetes.Injection;
using Palisade.Kubernetes.Manifests;

namespace Palisade.Commands;

/// <summary>
/// <c>palisade inject -f FILE|-</c>: the admission webhook's mutation, offline, for manifests (GitOps, Helm output):
/// <c>palisade inject -f app.yaml | kubectl apply -f -</c>. The injected manifest goes to standard output, what
/// happened to each workload to standard error. An annotation that cannot be used fails the command and prints
/// nothing, so a pipe never applies half a manifest.
/// </summary>
internal static class InjectCommand
{
    public static Command Create()
    {
        var file = new Option<string>("--file", "-f") { Description = "Manifest to inject (multi-document YAML); - reads standard input.", Required = true };
        var all = new Option<bool>("--all") { Description = "Inject every workload, as a namespace labelled palisade.io/inject=enabled would (an opt-out still wins)." };
        var injection = new InjectionOptionSet();

        var command = new Command("inject", "Add the Palisade sidecar to the pod templates of Kubernetes manifests (printed on standard output).")
        {
            file, all,
        };
        injection.AddTo(command);

        command.SetAction(parse =>
        {
            if (injection.Read(parse, new InjectionOptions(), "inject") is not { } options)
            {
                return ExitCodes.BadInput;
            }

            var path = parse.GetValue(file)!;
            string yaml;
            try
            {
                yaml = path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"palisade inject: {path}: {e.Message}");
                return ExitCodes.BadInput;
            }

            ManifestInjection injected;
            try
            {
                injected = ManifestInjector.Inject(yaml, options, parse.GetValue(all));
            }
            catch (ManifestException e)
            {
                Console.Error.WriteLine($"palisade inject: {path}: {e.Message}");
                return ExitCodes.BadInput;
            }

            foreach (var workload in injected.Workloads)
            {
                Console.Error.WriteLine($"palisade inject: {workload.Workload}: {workload.Result.Describe()}");
            }

            if (injected.Denied)
            {
                return ExitCodes.BadInput;
            }

            Console.Out.Write(injected.Yaml);
            return ExitCodes.Ok;
        });

        return command;
    }
}
