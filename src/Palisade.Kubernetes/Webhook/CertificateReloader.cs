using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Palisade.Kubernetes.Webhook;

/// <summary>
/// The serving certificate from a PEM certificate and key file, reloaded when either file changes (a renewed Secret,
/// cert-manager's rotation). Checked at most once a second, on TLS handshakes; a pair that does not load (a rotation
/// caught half-written) keeps the previous certificate until the files settle.
/// </summary>
public sealed class CertificateReloader : IDisposable
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);
    private readonly string _certificatePath;
    private readonly string _keyPath;
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private X509Certificate2 _current;
    private (DateTime Certificate, DateTime Key) _loadedStamps;
    private DateTimeOffset _nextCheck;

    public CertificateReloader(string certificatePath, string keyPath, TimeProvider? time = null)
    {
        _certificatePath = certificatePath;
        _keyPath = keyPath;
        _time = time ?? TimeProvider.System;
        _loadedStamps = Stamps();
        _current = Load();
        _nextCheck = _time.GetUtcNow() + CheckInterval;
    }

    /// <summary>Raised after a new certificate is in use, or when a changed pair could not be loaded (with the error).</summary>
    public event Action<X509Certificate2?, Exception?>? Reloaded;

    public X509Certificate2 Current
    {
        get
        {
            lock (_lock)
            {
                if (_time.GetUtcNow() >= _nextCheck)
                {
                    _nextCheck = _time.GetUtcNow() + CheckInterval;
                    ReloadIfChanged();
                }

                return _current;
            }
        }
    }

    public void Dispose() => _current.Dispose();

    private void ReloadIfChanged()
    {
        var stamps = Stamps();
        if (stamps == _loadedStamps)
        {
            return;
        }

        try
        {
            var loaded = Load();
            _current = loaded;
            _loadedStamps = stamps;
            Reloaded?.Invoke(loaded, null);
        }
        catch (Exception e) when (e is CryptographicException or IOException or ArgumentException)
        {
            Reloaded?.Invoke(null, e);
        }
    }

    private X509Certificate2 Load()
    {
        using var pem = X509Certificate2.CreateFromPemFile(_certificatePath, _keyPath);
        // Kestrel needs the key in a form the TLS stack can use on every platform: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private (DateTime, DateTime) Stamps() => (File.GetLastWriteTimeUtc(_certificatePath), File.GetLastWriteTimeUtc(_keyPath));
}
