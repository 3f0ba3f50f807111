using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Palisade.Kubernetes.Injection;

namespace Palisade.Kubernetes.Webhook;

/// <summary>
/// <c>palisade injector</c>: the mutating admission webhook over HTTPS. <c>POST /inject</c> answers pods sent because
/// they carry the opt-in label; <c>POST /inject/namespace</c> those sent because their namespace opted in.
/// <c>GET /healthz</c> and <c>GET /metrics</c> for the kubelet and Prometheus. Bodies over 4 MiB get 413, anything
/// that is not an AdmissionReview 400.
/// </summary>
public sealed partial class InjectorServer : IAsyncDisposable
{
    public const long MaxBodyBytes = 4 * 1024 * 1024;
    private readonly WebApplication _app;
    private readonly CertificateReloader _certificate;

    private InjectorServer(WebApplication app, CertificateReloader certificate, Uri address)
    {
        _app = app;
        _certificate = certificate;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<InjectorServer> StartAsync(IPEndPoint listen, string certificatePath, string keyPath, InjectionOptions options, Action<ILoggingBuilder>? logging = null)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(options);
        var certificate = new CertificateReloader(certificatePath, keyPath);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
            kestrel.Listen(listen, endpoint =>
            {
                endpoint.Protocols = HttpProtocols.Http1AndHttp2;
                endpoint.UseHttps(https => https.ServerCertificateSelector = (_, _) => certificate.Current);
            });
        });
        var metrics = new InjectorMetrics();
        builder.Services.AddSingleton(metrics);
        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Palisade.Injector");
        certificate.Reloaded += (loaded, error) =>
        {
            if (loaded is not null)
            {
                Log.CertificateReloaded(logger, loaded.Subject, loaded.NotAfter.ToUniversalTime());
            }
            else
            {
                Log.CertificateNotLoaded(logger, error?.Message ?? "");
            }
        };

        app.MapPost("/inject", (HttpContext context) => AnswerAsync(context, options, namespaceOptedIn: false, metrics, logger));
        app.MapPost("/inject/namespace", (HttpContext context) => AnswerAsync(context, options, namespaceOptedIn: true, metrics, logger));
        app.MapMethods("/healthz", ["GET", "HEAD"], (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync("ok\n", context.RequestAborted);
        });
        app.MapMethods("/metrics", ["GET", "HEAD"], async (HttpContext context) =>
        {
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            context.Response.Headers.CacheControl = "no-store";
            await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });

        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var address = new Uri(bound.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal));
        Log.Listening(logger, address);
        return new InjectorServer(app, certificate, address);
    }

    public Task WaitForShutdownAsync(CancellationToken cancel) => _app.WaitForShutdownAsync(cancel);

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _certificate.Dispose();
    }

    private static async Task AnswerAsync(HttpContext context, InjectionOptions options, bool namespaceOptedIn, InjectorMetrics metrics, ILogger logger)
    {
        var started = Stopwatch.GetTimestamp();
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException e)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "the body is not JSON: " + e.Message, metrics, logger);
            return;
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, $"the body is over {MaxBodyBytes} bytes", metrics, logger);
            return;
        }

        AdmissionAnswer answer;
        try
        {
            answer = AdmissionReviewHandler.Handle(body, options, namespaceOptedIn);
        }
        catch (AdmissionRequestException e)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, e.Message, metrics, logger);
            return;
        }

        metrics.Admissions.WithLabels(answer.Outcome, answer.Outcome == "denied" ? "invalid-annotations" : answer.Reason).Inc();
        Log.Answered(logger, answer.Pod, answer.Outcome, answer.Reason);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.Review.ToJsonString(), context.RequestAborted);
        metrics.Duration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static async Task RefuseAsync(HttpContext context, int status, string problem, InjectorMetrics metrics, ILogger logger)
    {
        metrics.Admissions.WithLabels("invalid", status.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
        Log.Invalid(logger, problem);
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(problem + "\n", context.RequestAborted);
    }
}
