using System.CommandLine;
using Palisade.Commands;

var root = new RootCommand("Palisade: a web application firewall that runs as a sidecar in the application's pod.")
{
    CheckCommand.Create(),
    EvalCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
