using System.Buffers;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Detectors.Ssrf;

/// <summary>
/// Detects server-side request forgery: a value that is a URL (or a bare internal host name) a server would be
/// made to fetch from its own network. The URL is parsed, not searched: its scheme is read, its host taken as a
/// strict and as a lenient parser take it (<see cref="UrlReader"/>), and each host classified
/// (<see cref="HostClassifier"/>): loopback, private, link-local, metadata services, IP addresses in obfuscated
/// notations, and schemes that talk to raw services (gopher, dict, ldap, jar, ...).
/// </summary>
/// <remarks>
/// A URL to a public host is benign, whatever its path. A loopback URL with an explicit development port (1024
/// and above, outside the ports of internal services such as Docker, Redis or etcd) is what developers paste
/// into previews and shares, and passes; the same host with no port, a system port or a service port does not.
/// Only values that start as a URL are read, so URLs quoted inside prose or code are left alone.
/// </remarks>
public sealed class SsrfDetector : IDetector
{
    private const string TriggersText = ":/";

    private static readonly SearchValues<char> Triggers = SearchValues.Create(TriggersText);

    private static readonly CharacterMask TriggerMask = CharacterMask.Of(TriggersText);

    private static readonly string[] RawServiceSchemes =
    [
        "gopher", "dict", "ldap", "ldaps", "ldapi", "tftp", "jar", "netdoc", "file", "local_file", "sftp", "expect",
        "php", "phar", "xri", "rsync",
    ];

    private static readonly int[] ServicePorts =
    [
        2375, 2376, 2379, 2380, 3306, 4369, 5432, 5984, 6379, 8500, 9000, 9001, 9200, 9300, 10250, 10255, 11211,
        27017, 50070,
    ];

    public string Id => "ssrf.url";

    public AttackType AttackType => AttackType.Ssrf;

    public string RequiredCharacters => TriggersText;

    public bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match)
    {
        match = default;
        if (origin.IsName || !origin.Characters.ContainsAny(value, TriggerMask, Triggers) || IsBrowserHeader(origin))
        {
            return false;
        }

        var trimmed = value.TrimStart();
        var offset = value.Length - trimmed.Length;
        trimmed = trimmed.TrimEnd();
        if (trimmed.StartsWith("url:", StringComparison.OrdinalIgnoreCase))
        {
            trimmed = trimmed[4..];
            offset += 4;
        }

        var schemeLength = UrlReader.SchemeLength(trimmed);
        if (schemeLength == 0)
        {
            return TryBareHost(trimmed, offset, out match);
        }

        var scheme = trimmed[..schemeLength];
        if (scheme.Equals("unix", StringComparison.OrdinalIgnoreCase) && trimmed.Contains('|'))
        {
            match = new DetectorMatch(SsrfReasons.UnixSocket, offset, trimmed.Length, 80);
            return true;
        }

        if (IsRawServiceScheme(scheme) && trimmed.Length > schemeLength + 1)
        {
            match = new DetectorMatch(SsrfReasons.DangerousScheme, offset, schemeLength + 1, 85);
            return true;
        }

        // "name:123" is a pair, not a URL; only web schemes are read without slashes (http:127.0.0.1).
        var hasSlashes = trimmed.Length > schemeLength + 1 && trimmed[schemeLength + 1] is '/' or '\\';
        if ((hasSlashes || IsWebScheme(scheme)) && TryUrl(trimmed, schemeLength + 1, offset, out match))
        {
            return true;
        }

        // URLs nested in this one's path or query (redirectors: "...?url=http://localhost").
        var searchFrom = schemeLength + 3;
        while (searchFrom < trimmed.Length)
        {
            var next = trimmed[searchFrom..].IndexOf("://", StringComparison.Ordinal);
            if (next < 0)
            {
                break;
            }

            var at = searchFrom + next;
            if (TryUrl(trimmed, at + 1, offset, out match))
            {
                return true;
            }

            searchFrom = at + 3;
        }

        return false;
    }

    private static bool TryUrl(ReadOnlySpan<char> url, int restStart, int offset, out DetectorMatch match)
    {
        match = default;
        var rest = url[restStart..];
        var strict = UrlReader.StrictHost(rest, out _);
        var lenient = UrlReader.LenientHost(rest, out var authorityEnd);
        var strictInfo = HostClassifier.Classify(strict, out var port);
        var lenientPort = port;
        var lenientInfo = strict.SequenceEqual(lenient) ? strictInfo : HostClassifier.Classify(lenient, out lenientPort);
        var confused = !strict.SequenceEqual(lenient);
        var end = restStart + authorityEnd;

        var reason = Judge(strictInfo, port, confused) ?? Judge(lenientInfo, lenientPort, confused);
        if (reason is null)
        {
            return false;
        }

        match = new DetectorMatch(reason, offset, end, reason == SsrfReasons.MetadataHost ? 90 : 80);
        return true;
    }

    // A host alone, as URL fields without a scheme take it: "localhost/", "host.docker.internal:2375/".
    private static bool TryBareHost(ReadOnlySpan<char> value, int offset, out DetectorMatch match)
    {
        match = default;
        var end = value.IndexOfAny('/', '?');
        if (end <= 0)
        {
            return false;
        }

        var host = value[..end];
        var info = HostClassifier.Classify(host, out var port);
        if (info.IsIpLiteral || info.Kind == HostKind.Public)
        {
            return false;
        }

        var reason = Judge(info, port, false);
        if (reason is null)
        {
            return false;
        }

        match = new DetectorMatch(SsrfReasons.InternalName, offset, end, 70);
        return true;
    }

    private static string? Judge(HostInfo info, int port, bool confused)
    {
        switch (info.Kind)
        {
            case HostKind.Metadata:
                return SsrfReasons.MetadataHost;
            case HostKind.LinkLocal:
                return SsrfReasons.PrivateHost;
            case HostKind.Private:
                // An intranet address written plainly is what intranet users share; a port of a service is a probe.
                return info.IsObfuscated || confused || !info.IsIpLiteral || IsServicePort(port) ? SsrfReasons.PrivateHost : null;
            case HostKind.Loopback or HostKind.Unspecified:
                return !info.IsObfuscated && !confused && IsDevelopmentPort(port) ? null : SsrfReasons.LoopbackHost;
            default:
                return info.IsObfuscated ? SsrfReasons.ObfuscatedAddress : null;
        }
    }

    private static bool IsWebScheme(ReadOnlySpan<char> scheme) =>
        scheme.Equals("http", StringComparison.OrdinalIgnoreCase) || scheme.Equals("https", StringComparison.OrdinalIgnoreCase);

    private static bool IsServicePort(int port) => port is >= 0 and < 1024 || Array.IndexOf(ServicePorts, port) >= 0;

    private static bool IsDevelopmentPort(int port) => port >= 1024 && Array.IndexOf(ServicePorts, port) < 0;

    private static bool IsRawServiceScheme(ReadOnlySpan<char> scheme)
    {
        foreach (var known in RawServiceSchemes)
        {
            if (scheme.Equals(known, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // Headers a browser fills with the site's own address.
    private static bool IsBrowserHeader(in ValueOrigin origin) =>
        origin.Source == ValueSource.Header && origin.Header is "host" or "origin" or "referer";
}
