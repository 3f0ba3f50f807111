// The "bare YARP" baseline of the load benchmark (bench/load/run.sh): everything that arrives is forwarded to
// one upstream with YARP's direct forwarder, with YARP's and ASP.NET Core's defaults (default transforms, default
// HTTP client, server GC as the Web SDK sets it). Only logging is turned down to warnings, as the node runs in the
// benchmark, because YARP logs every proxied request at information level.
//
// Usage: BareYarp --listen 127.0.0.1:PORT --upstream http://127.0.0.1:APPPORT

using System.Net;

string? listen = null;
string? upstream = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--listen" when i + 1 < args.Length:
            listen = args[++i];
            break;
        case "--upstream" when i + 1 < args.Length:
            upstream = args[++i];
            break;
        default:
            return Usage($"unknown argument '{args[i]}'");
    }
}

if (listen is null || upstream is null)
{
    return Usage("both --listen and --upstream are required");
}

if (!IPEndPoint.TryParse(listen, out var endpoint) || endpoint.Port == 0)
{
    return Usage($"--listen must be HOST:PORT, got '{listen}'");
}

if (!Uri.TryCreate(upstream, UriKind.Absolute, out var upstreamUri))
{
    return Usage($"--upstream must be an absolute URL, got '{upstream}'");
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(endpoint));
builder.Services.AddHttpForwarder();

var app = builder.Build();
app.MapForwarder("/{**catch-all}", upstreamUri.GetLeftPart(UriPartial.Authority));
await app.RunAsync();
return 0;

static int Usage(string error)
{
    Console.Error.WriteLine($"BareYarp: {error}");
    Console.Error.WriteLine("usage: BareYarp --listen 127.0.0.1:PORT --upstream http://127.0.0.1:APPPORT");
    return 2;
}
