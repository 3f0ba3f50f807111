using System.CommandLine;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Palisade.Node;
using Palisade.Node.Configuration;

namespace Palisade.Commands;

/// <summary>
/// <c>palisade node</c>: runs the filtering node. Every option of <see cref="NodeSettings"/> is a flag;
/// configuration comes from defaults &lt; <c>--config palisade.yaml</c> &lt; <c>PALISADE_*</c> &lt; flags.
/// </summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config", "-c")
        {
            Description = $"YAML file with any of the options below, by key (e.g. 'inspection-limit: 2MiB'). [env: {NodeOptionsLoader.ConfigFileVariable}]",
            HelpName = "FILE",
        };
        var command = new Command("node", "Run the filtering node: inspect every request, forward legitimate ones to the application, answer attacks.")
        {
            config,
        };

        var flags = new List<(NodeSetting Setting, Option Option)>();
        foreach (var setting in NodeSettings.All)
        {
            var description = $"{setting.Description} [env: {setting.EnvironmentVariable}] [default: {(setting.DefaultText.Length == 0 ? "none" : setting.DefaultText)}]";
            Option option = setting.Kind == SettingKind.Switch
                ? new Option<bool>(setting.Flag) { Description = description, Arity = ArgumentArity.ZeroOrOne }
                : new Option<string>(setting.Flag) { Description = description, HelpName = setting.ValueHint };
            command.Options.Add(option);
            flags.Add((setting, option));
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var values = new List<ConfigurationValue>();
            foreach (var (setting, option) in flags)
            {
                if (parse.GetResult(option) is null)
                {
                    continue;
                }

                var text = option is Option<bool> flag
                    ? (parse.GetValue(flag) ? "true" : "false")
                    : parse.GetValue((Option<string>)option) ?? "";
                values.Add(new ConfigurationValue(setting.Key, [text], setting.Flag));
            }

            NodeOptions options;
            var sources = new NodeConfigurationSources
            {
                ConfigFile = parse.GetValue(config)?.FullName,
                Environment = NodeConfigurationSources.ProcessEnvironment(),
                Flags = values,
            };
            try
            {
                options = NodeOptionsLoader.Load(sources);
            }
            catch (ConfigurationException e)
            {
                await Console.Error.WriteLineAsync($"palisade node: configuration error: {e.Message}");
                return ExitCodes.BadInput;
            }

            return await RunAsync(options, sources, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(NodeOptions options, NodeConfigurationSources sources, CancellationToken cancellationToken)
    {
        PalisadeNode node;
        try
        {
            node = await PalisadeNode.StartAsync(options, Console.OpenStandardOutput(), cancellationToken: cancellationToken, sources: sources);
        }
        catch (IOException e) when (e.InnerException is SocketException || e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"palisade node: cannot listen: {e.Message}");
            return ExitCodes.Failure;
        }

        // SIGTERM (Kubernetes), SIGINT (Ctrl+C) and SIGQUIT all mean: drain, then exit 0.
        void Drain(PosixSignalContext context)
        {
            context.Cancel = true;
            _ = node.StopAsync();
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Drain);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Drain);
        using var quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Drain);

        // SIGHUP: load the configuration again; an invalid one is logged and the current one keeps serving.
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true;
            _ = node.ReloadAsync();
        });
        await node.Stopped;
        return ExitCodes.Ok;
    }
}
