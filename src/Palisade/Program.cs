using System.CommandLine;
using Palisade.Commands;

var root = new RootCommand("Palisade: a web application firewall that runs as a sidecar in the application's pod.")
{
    NodeCommand.Create(),
    CheckCommand.Create(),
    EvalCommand.Create(),
    InjectCommand.Create(),
    IptablesCommand.Create(),
    InjectorCommand.Create(),
    InstallCommand.Create(),
};

// The node drains on SIGTERM by itself; the parser's own termination handling would cut that short.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
