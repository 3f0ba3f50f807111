using System.CommandLine;
using Palisade.Kubernetes.Injection;

namespace Palisade.Commands;

/// <summary>The injector defaults both <c>inject</c> and <c>injector</c> take from flags, and their checks.</summary>
internal sealed class InjectionOptionSet
{
    private readonly Option<string?> _image = new("--image") { Description = "The sidecar's image (default: this version's release image)." };
    private readonly Option<string?> _mode = new("--mode") { Description = "Default mode where a pod does not annotate one: off, monitoring, safe_blocking, block." };
    private readonly Option<string?> _capture = new("--capture") { Description = "Default capture: iptables (an init container redirects the app port) or service (point the Service at palisade-http)." };
    private readonly Option<bool> _legacy = new("--legacy-sidecar") { Description = "Add the node as a plain container, for clusters older than Kubernetes 1.29." };

    public void AddTo(Command command)
    {
        command.Options.Add(_image);
        command.Options.Add(_mode);
        command.Options.Add(_capture);
        command.Options.Add(_legacy);
    }

    /// <summary>The options, or null after writing what is wrong to standard error.</summary>
    public InjectionOptions? Read(ParseResult parse, InjectionOptions defaults, string verb)
    {
        var options = defaults with { NativeSidecar = !parse.GetValue(_legacy) };
        if (parse.GetValue(_image) is { } image)
        {
            options = options with { Image = image };
        }

        if (parse.GetValue(_mode) is { } mode)
        {
            if (mode is not ("off" or "monitoring" or "safe_blocking" or "block"))
            {
                Console.Error.WriteLine($"palisade {verb}: --mode: '{mode}' is not a mode: use off, monitoring, safe_blocking or block");
                return null;
            }

            options = options with { Mode = mode };
        }

        if (parse.GetValue(_capture) is { } capture)
        {
            if (capture is not ("iptables" or "service"))
            {
                Console.Error.WriteLine($"palisade {verb}: --capture: '{capture}' is not a capture mode: use iptables or service");
                return null;
            }

            options = options with { Capture = capture == "service" ? CaptureMode.Service : CaptureMode.Iptables };
        }

        return options;
    }
}
