using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Palisade.Kubernetes.Injection;
using Palisade.Kubernetes.Webhook;

namespace Palisade.Commands;

/// <summary>
/// <c>palisade injector --tls-cert FILE --tls-key FILE</c>: the mutating admission webhook (HTTPS; <c>/inject</c>,
/// <c>/inject/namespace</c>, <c>/healthz</c>, <c>/metrics</c>), running until SIGTERM. The key pair is reloaded when
/// its files change.
/// </summary>
internal static class InjectorCommand
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "HOST:PORT or PORT to serve HTTPS on.", DefaultValueFactory = _ => "0.0.0.0:8443" };
        var certificate = new Option<string>("--tls-cert") { Description = "PEM certificate (chain) the webhook serves.", Required = true };
        var key = new Option<string>("--tls-key") { Description = "PEM private key of the certificate.", Required = true };
        var controllerNamespace = new Option<string?>("--namespace") { Description = "The injector's own namespace, never injected (default: $POD_NAMESPACE, else palisade-system)." };
        var exclude = new Option<string[]>("--exclude-namespace") { Description = "A namespace never injected (repeat for more); kube-system never is.", AllowMultipleArgumentsPerToken = true };
        var injection = new InjectionOptionSet();

        var command = new Command("injector", "Run the mutating admission webhook that injects the sidecar into labelled pods.")
        {
            listen, certificate, key, controllerNamespace, exclude,
        };
        injection.AddTo(command);

        command.SetAction(async (parse, cancel) =>
        {
            var defaults = new InjectionOptions
            {
                ControllerNamespace = parse.GetValue(controllerNamespace) ?? Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "palisade-system",
                ExcludedNamespaces = parse.GetValue(exclude) ?? [],
            };
            if (injection.Read(parse, defaults, "injector") is not { } options)
            {
                return ExitCodes.BadInput;
            }

            if (!TryParseEndpoint(parse.GetValue(listen)!, out var endpoint))
            {
                Console.Error.WriteLine($"palisade injector: --listen: '{parse.GetValue(listen)}' is not HOST:PORT or PORT");
                return ExitCodes.BadInput;
            }

            InjectorServer server;
            try
            {
                server = await InjectorServer.StartAsync(endpoint, parse.GetValue(certificate)!, parse.GetValue(key)!, options);
            }
            catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"palisade injector: the TLS key pair does not load: {e.Message}");
                return ExitCodes.BadInput;
            }

            await using (server)
            {
                await server.WaitForShutdownAsync(cancel);
            }

            return ExitCodes.Ok;
        });

        return command;
    }

    private static bool TryParseEndpoint(string text, out IPEndPoint endpoint)
    {
        endpoint = null!;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
        {
            endpoint = new IPEndPoint(IPAddress.Any, port);
            return true;
        }

        return IPEndPoint.TryParse(text, out endpoint!) && endpoint.Port > 0;
    }
}
