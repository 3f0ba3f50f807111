using System.CommandLine;
using Palisade.Kubernetes.Capture;

namespace Palisade.Commands;

/// <summary>
/// <c>palisade iptables --application-port N --node-port M</c>: the capture init container's job. Redirects inbound
/// TCP for the application port to the node, in the pod's network namespace, for IPv4 and IPv6, with the backend
/// (nft or legacy) the node uses. Idempotent; <c>--dry-run</c> prints the rules instead. Needs NET_ADMIN and NET_RAW.
/// </summary>
internal static class IptablesCommand
{
    public static Command Create()
    {
        var applicationPort = new Option<int>("--application-port") { Description = "The port the application listens on (what the Service targets).", Required = true };
        var nodePort = new Option<int>("--node-port") { Description = "The port the node listens on.", Required = true };
        var backend = new Option<string>("--backend") { Description = "auto (the backend that already holds rules, else nft), nft or legacy.", DefaultValueFactory = _ => "auto" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the iptables-restore input instead of applying it." };

        var command = new Command("iptables", "Redirect the pod's inbound traffic for the application port to the node (the capture init container).")
        {
            applicationPort, nodePort, backend, dryRun,
        };

        command.SetAction(parse =>
        {
            var plan = new IptablesPlan(parse.GetValue(applicationPort), parse.GetValue(nodePort));
            if (plan.Validate() is { } problem)
            {
                Console.Error.WriteLine($"palisade iptables: {problem}");
                return ExitCodes.BadInput;
            }

            if (parse.GetValue(dryRun))
            {
                Console.Out.Write($"# iptables-restore --noflush (IPv4 and IPv6; the PREROUTING jump only where it is missing)\n{plan.RestoreInput(jumpPresent: false)}");
                return ExitCodes.Ok;
            }

            IptablesBackend chosen;
            switch (parse.GetValue(backend))
            {
                case "nft":
                    chosen = IptablesBackend.Nft;
                    break;
                case "legacy":
                    chosen = IptablesBackend.Legacy;
                    break;
                case "auto":
                    try
                    {
                        chosen = IptablesRunner.Detect(Console.Error);
                    }
                    catch (InvalidOperationException e)
                    {
                        Console.Error.WriteLine($"palisade iptables: {e.Message}");
                        return ExitCodes.Failure;
                    }

                    break;
                default:
                    Console.Error.WriteLine($"palisade iptables: --backend: '{parse.GetValue(backend)}' is not a backend: use auto, nft or legacy");
                    return ExitCodes.BadInput;
            }

            return IptablesRunner.Apply(plan, chosen, Console.Error) ? ExitCodes.Ok : ExitCodes.Failure;
        });

        return command;
    }
}
