using System.Net;
using Palisade.Detection.Engine;
using Palisade.Node.Configuration;
using Palisade.TestUpstream;

namespace Palisade.Node.Tests.Infrastructure;

/// <summary>A real node on loopback (real Kestrel, real YARP) in front of a real test application process.</summary>
public sealed class NodeUnderTest : IAsyncDisposable
{
    private NodeUnderTest(PalisadeNode node, TestUpstreamProcess? upstream, EventCaptureStream events)
    {
        Node = node;
        Upstream = upstream;
        Events = events;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = node.ProxyAddress,
        };
        Admin = new HttpClient { BaseAddress = node.AdminAddress };
    }

    public PalisadeNode Node { get; }

    public TestUpstreamProcess? Upstream { get; }

    public EventCaptureStream Events { get; }

    /// <summary>A client that talks to the node's proxy listener.</summary>
    public HttpClient Client { get; }

    /// <summary>A client for the admin listener.</summary>
    public HttpClient Admin { get; }

    /// <summary>Starts a test application (unless the options point elsewhere) and a node in front of it.</summary>
    public static async Task<NodeUnderTest> StartAsync(Func<NodeOptions, NodeOptions>? configure = null, bool withUpstream = true, InspectionEngine? engine = null)
    {
        var upstream = withUpstream ? await TestUpstreamProcess.StartAsync() : null;
        var options = new NodeOptions
        {
            Listen = new ListenAddress(IPAddress.Loopback, 0),
            AdminListen = new ListenAddress(IPAddress.Loopback, 0),
            ManagementListen = new ListenAddress(IPAddress.Loopback, 0),
            Upstream = upstream?.Address ?? new Uri($"http://127.0.0.1:{TestUpstreamProcess.FreePort()}"),
            Mode = Detection.Verdicts.EnforcementMode.Block,
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning,
        };
        options = configure?.Invoke(options) ?? options;
        var events = new EventCaptureStream();
        var node = await PalisadeNode.StartAsync(options, events, engine);
        return new NodeUnderTest(node, upstream, events);
    }

    /// <summary>
    /// Starts a test application and a node configured by <paramref name="yaml"/> written to a file (which the node
    /// watches and reloads); listeners, upstream and log level come as flags, as the CLI gives them, followed by
    /// <paramref name="flags"/> (name and value, e.g. <c>("attack-log", path)</c>). <paramref name="application"/>
    /// puts the node in front of another application (its owner stops it) instead of a test application.
    /// </summary>
    public static async Task<NodeUnderTest> StartFromFileAsync(string yaml, InspectionEngine? engine = null, string? directory = null, IEnumerable<(string Name, string Value)>? flags = null, Uri? application = null)
    {
        directory ??= Directory.CreateTempSubdirectory("palisade-config-").FullName;
        var file = Path.Combine(directory, "palisade.yaml");
        await File.WriteAllTextAsync(file, yaml);
        var upstream = application is null ? await TestUpstreamProcess.StartAsync() : null;
        var sources = new NodeConfigurationSources
        {
            ConfigFile = file,
            Flags =
            [
                new ConfigurationValue("listen", ["127.0.0.1:0"], "--listen"),
                new ConfigurationValue("admin-listen", ["127.0.0.1:0"], "--admin-listen"),
                new ConfigurationValue("management-listen", ["127.0.0.1:0"], "--management-listen"),
                new ConfigurationValue("upstream", [(application ?? upstream!.Address).ToString()], "--upstream"),
                new ConfigurationValue("log-level", ["warning"], "--log-level"),
                .. (flags ?? []).Select(f => new ConfigurationValue(f.Name, [f.Value], "--" + f.Name)),
            ],
        };
        var events = new EventCaptureStream();
        var node = await PalisadeNode.StartAsync(NodeOptionsLoader.Load(sources), events, engine, sources);
        return new NodeUnderTest(node, upstream, events) { ConfigFile = file };
    }

    /// <summary>The configuration file of a node started with <see cref="StartFromFileAsync"/>.</summary>
    public string? ConfigFile { get; private init; }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await Node.StopAsync();
        if (Upstream is not null)
        {
            await Upstream.DisposeAsync();
        }

        await Events.DisposeAsync();
    }
}
