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
        var image = new Option<string?>("--image") { Description = "The sidecar's image (default: this version's release image)." };
        var mode = new Option<string?>("--mode") { Description = "Default mode where a pod does not annotate one: off, monitoring, safe_blocking, block." };
        var capture = new Option<string?>("--capture") { Description = "Default capture: iptables (an init container redirects the app port) or service (point the Service at palisade-http)." };
        var legacy = new Option<bool>("--legacy-sidecar") { Description = "Add the node as a plain container, for clusters older than Kubernetes 1.29." };

        var command = new Command("inject", "Add the Palisade sidecar to the pod templates of Kubernetes manifests (printed on standard output).")
        {
            file, all, image, mode, capture, legacy,
        };

        command.SetAction(parse =>
        {
            var options = new InjectionOptions { NativeSidecar = !parse.GetValue(legacy) };
            if (parse.GetValue(image) is { } imageValue)
            {
                options = options with { Image = imageValue };
            }

            if (parse.GetValue(mode) is { } modeValue)
            {
                if (modeValue is not ("off" or "monitoring" or "safe_blocking" or "block"))
                {
                    Console.Error.WriteLine($"palisade inject: --mode: '{modeValue}' is not a mode: use off, monitoring, safe_blocking or block");
                    return ExitCodes.BadInput;
                }

                options = options with { Mode = modeValue };
            }

            if (parse.GetValue(capture) is { } captureValue)
            {
                if (captureValue is not ("iptables" or "service"))
                {
                    Console.Error.WriteLine($"palisade inject: --capture: '{captureValue}' is not a capture mode: use iptables or service");
                    return ExitCodes.BadInput;
                }

                options = options with { Capture = captureValue == "service" ? CaptureMode.Service : CaptureMode.Iptables };
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

            ManifestInjection injection;
            try
            {
                injection = ManifestInjector.Inject(yaml, options, parse.GetValue(all));
            }
            catch (ManifestException e)
            {
                Console.Error.WriteLine($"palisade inject: {path}: {e.Message}");
                return ExitCodes.BadInput;
            }

            foreach (var workload in injection.Workloads)
            {
                Console.Error.WriteLine($"palisade inject: {workload.Workload}: {workload.Result.Describe()}");
            }

            if (injection.Denied)
            {
                return ExitCodes.BadInput;
            }

            Console.Out.Write(injection.Yaml);
            return ExitCodes.Ok;
        });

        return command;
    }
}
