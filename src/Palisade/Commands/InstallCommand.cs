using System.CommandLine;
using Palisade.Kubernetes.Injection;
using Palisade.Kubernetes.Install;
using Palisade.Kubernetes.Manifests;

namespace Palisade.Commands;

/// <summary>
/// <c>palisade install</c>: prints the controller's manifests (<c>palisade install | kubectl apply -f -</c>), with a
/// freshly generated CA and serving certificate, or with cert-manager objects (<c>--cert-manager</c>).
/// </summary>
internal static class InstallCommand
{
    public static Command Create()
    {
        var ns = new Option<string>("--namespace") { Description = "The namespace the injector runs in.", DefaultValueFactory = _ => "palisade-system" };
        var replicas = new Option<int>("--replicas") { Description = "Injector replicas (a PodDisruptionBudget keeps one up).", DefaultValueFactory = _ => 2 };
        var failurePolicy = new Option<string>("--failure-policy") { Description = "Fail: no labelled pod starts without the sidecar while the injector is down; Ignore: it starts unprotected.", DefaultValueFactory = _ => "Fail" };
        var certManager = new Option<bool>("--cert-manager") { Description = "Let cert-manager issue the webhook's certificate and fill its caBundle." };
        var noPolicy = new Option<bool>("--no-unprotected-pod-policy") { Description = "Leave out the ValidatingAdmissionPolicy that flags pods created without the sidecar (needed before Kubernetes 1.30)." };
        var exclude = new Option<string[]>("--exclude-namespace") { Description = "A namespace never injected, even when labelled (repeat for more); kube-system and the injector's own never are.", AllowMultipleArgumentsPerToken = true };
        var injection = new InjectionOptionSet();

        var command = new Command("install", "Print the injector's Kubernetes manifests: namespace, service account, TLS, Deployment, PDB, Service, webhook.")
        {
            ns, replicas, failurePolicy, certManager, noPolicy, exclude,
        };
        injection.AddTo(command);

        command.SetAction(parse =>
        {
            var namespaceName = parse.GetValue(ns)!;
            if (!KubernetesNames.IsDnsLabel(namespaceName))
            {
                Console.Error.WriteLine($"palisade install: --namespace: '{namespaceName}' is not a namespace name (lower-case letters, digits and '-', at most 63)");
                return ExitCodes.BadInput;
            }

            if (parse.GetValue(failurePolicy) is not ("Fail" or "Ignore"))
            {
                Console.Error.WriteLine($"palisade install: --failure-policy: '{parse.GetValue(failurePolicy)}' is not a policy: use Fail or Ignore");
                return ExitCodes.BadInput;
            }

            if (parse.GetValue(replicas) is < 1 or > 20)
            {
                Console.Error.WriteLine("palisade install: --replicas: use 1 to 20");
                return ExitCodes.BadInput;
            }

            var excluded = parse.GetValue(exclude) ?? [];
            if (excluded.FirstOrDefault(n => !KubernetesNames.IsDnsLabel(n)) is { } badName)
            {
                Console.Error.WriteLine($"palisade install: --exclude-namespace: '{badName}' is not a namespace name (lower-case letters, digits and '-', at most 63)");
                return ExitCodes.BadInput;
            }

            var defaults = new InjectionOptions { ControllerNamespace = namespaceName, ExcludedNamespaces = excluded.Distinct(StringComparer.Ordinal).ToArray() };
            if (injection.Read(parse, defaults, "install") is not { } sidecar)
            {
                return ExitCodes.BadInput;
            }

            var options = new InstallOptions
            {
                Namespace = namespaceName,
                Image = sidecar.Image,
                Replicas = parse.GetValue(replicas),
                FailurePolicy = parse.GetValue(failurePolicy)!,
                CertManager = parse.GetValue(certManager),
                UnprotectedPodPolicy = !parse.GetValue(noPolicy),
                Injection = sidecar,
            };
            var certificates = options.CertManager ? null : WebhookCertificates.Generate(options.ServiceHost, DateTimeOffset.UtcNow);
            var objects = InstallManifests.Render(options, certificates);
            Console.Out.Write(JsonToYaml.Join(objects.Select(o => JsonToYaml.Write(o))));
            return ExitCodes.Ok;
        });

        return command;
    }
}
