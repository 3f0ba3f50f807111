using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Palisade.Detection.Rules;
using Palisade.Node.Tests.Robustness;

namespace Palisade.Node.Tests.Policy;

/// <summary>
/// <see cref="RulePath.Literal"/> claims to resolve a path no further than Kestrel does: a real Kestrel on loopback
/// answers the path it resolved for each spelling, and the literal reading must be exactly that.
/// </summary>
public sealed class KestrelPathReadingTests : IAsyncLifetime
{
    private WebApplication? _app;
    private Uri? _address;

    public static TheoryData<string> Spellings =>
    [
        "/admin",
        "/a/../admin",
        "/a/%2e%2e/admin",
        "/a/..;/admin",
        "/admin;jsessionid=1",
        "//admin",
        "/a//b/",
        "/a\\..\\admin",
        "/files/a%2Fb",
        "/files/a%2fb",
        "/a/%252e%252e/admin",
        "/a/b/..%2F..%2Fadmin",
        "/caf%C3%A9",
        "/admin/.",
        "/..",
        "/a/./b/../c",
        "/a/%ff/%2e%2e/admin",
        "/static/%2e%2e/admin/%ff/..%2f..%2fstatic/x",
        "/a/%C3%28/b",
        "/a/%e2%82/%41",
    ];

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(context =>
        {
            var path = System.Text.Encoding.UTF8.GetBytes(context.Request.Path.Value ?? "");
            context.Response.ContentLength = path.Length;
            return context.Response.Body.WriteAsync(path).AsTask();
        });
        await _app.StartAsync();
        _address = new Uri(_app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
    }

    [Theory]
    [MemberData(nameof(Spellings))]
    public async Task Literal_IsThePathKestrelResolves(string spelling)
    {
        var exchange = await RawExchange.SendAsync(_address!, $"GET {spelling} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        var body = exchange.Response[(exchange.Response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        var kestrel = System.Text.Encoding.UTF8.GetString(System.Text.Encoding.Latin1.GetBytes(body));

        Assert.Equal([200], exchange.Statuses);
        Assert.Equal(kestrel, RulePath.Normalize(spelling).Literal);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
