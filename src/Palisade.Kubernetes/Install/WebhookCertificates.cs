using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Palisade.Kubernetes.Install;

/// <summary>
/// A certificate authority and the webhook's serving certificate signed by it, for the injector's Service name: the
/// API server trusts the CA (the webhook's <c>caBundle</c>), the injector serves the certificate (the TLS Secret).
/// ECDSA P-256; the CA for ten years, the serving certificate for one, renewed by running <c>install</c> again.
/// </summary>
public sealed record WebhookCertificates(string CaPem, string CertificatePem, string KeyPem)
{
    public static WebhookCertificates Generate(string serviceHost, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceHost);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=palisade-injector-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + serviceHost, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(serviceHost);
        names.AddDnsName(serviceHost + ".cluster.local");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var certificate = request.Create(ca, now.AddMinutes(-5), now.AddYears(1), serial);

        return new WebhookCertificates(ca.ExportCertificatePem() + "\n", certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
    }
}
