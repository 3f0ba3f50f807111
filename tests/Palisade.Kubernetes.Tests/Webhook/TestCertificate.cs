using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Palisade.Kubernetes.Tests.Webhook;

/// <summary>A self-signed serving certificate for 127.0.0.1 and localhost, written as the PEM files a Secret mounts.</summary>
internal static class TestCertificate
{
    public static X509Certificate2 Write(string certificatePath, string keyPath, string subject = "CN=palisade-injector")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        return certificate;
    }
}
