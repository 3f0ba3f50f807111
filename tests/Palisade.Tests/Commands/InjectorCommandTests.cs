using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Palisade.Tests.Infrastructure;

namespace Palisade.Tests.Commands;

public sealed class InjectorCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("palisade-injector-cli-").FullName;

    [Fact]
    public async Task Injector_ServesAdmissionReviewsOverHttps_AndStopsOnSigterm()
    {
        using var certificate = WriteCertificate();
        var port = FreePort();
        await using var injector = PalisadeProcess.Start(["injector", "--listen", $"127.0.0.1:{port}", "--tls-cert", Path.Combine(_directory, "tls.crt"), "--tls-key", Path.Combine(_directory, "tls.key"), "--mode", "block"]);
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString() },
        });
        var address = new Uri($"https://127.0.0.1:{port}");
        await Wait.UntilAsync(async () => (await client.GetAsync(new Uri(address, "/healthz"))).IsSuccessStatusCode, TimeSpan.FromSeconds(30), "the injector's /healthz");

        const string Review = """
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"7","kind":{"group":"","version":"v1","kind":"Pod"},
             "namespace":"shop","operation":"CREATE","object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","labels":{"palisade.io/inject":"enabled"}},
             "spec":{"containers":[{"name":"web","image":"nginx"}]}}}}
            """;
        using var response = await client.PostAsync(new Uri(address, "/inject"), new StringContent(Review, Encoding.UTF8, "application/json"));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["response"]!;
        Assert.True(answer["allowed"]!.GetValue<bool>());
        var patch = Encoding.UTF8.GetString(Convert.FromBase64String(answer["patch"]!.GetValue<string>()));
        Assert.Contains("\"PALISADE_MODE\"", patch, StringComparison.Ordinal);
        Assert.Contains("\"block\"", patch, StringComparison.Ordinal);

        injector.Terminate();
        Assert.Equal(0, await injector.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("admission shop/web: injected", injector.StandardOutput + injector.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Injector_KeyPairThatDoesNotLoad_Exits2()
    {
        File.WriteAllText(Path.Combine(_directory, "tls.crt"), "not a certificate");
        File.WriteAllText(Path.Combine(_directory, "tls.key"), "not a key");

        var (code, _, error) = await PalisadeProcess.RunAsync(["injector", "--listen", $"127.0.0.1:{FreePort()}", "--tls-cert", Path.Combine(_directory, "tls.crt"), "--tls-key", Path.Combine(_directory, "tls.key")]);

        Assert.Equal(2, code);
        Assert.Contains("the TLS key pair does not load", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private X509Certificate2 WriteCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=palisade-injector", key, HashAlgorithmName.SHA256);
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(Path.Combine(_directory, "tls.key"), key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(_directory, "tls.crt"), certificate.ExportCertificatePem());
        return certificate;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
