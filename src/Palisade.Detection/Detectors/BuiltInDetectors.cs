namespace Palisade.Detection.Detectors;

/// <summary>The detectors every engine runs unless told otherwise, in a fixed order.</summary>
public static class BuiltInDetectors
{
    public static IReadOnlyList<IDetector> Create() =>
    [
        new Sqli.SqliDetector(),
        new Xss.XssDetector(),
        new Rce.RceDetector(),
        new CodeInjection.CodeInjectionDetector(),
        new PathTraversal.PathTraversalDetector(),
        new Ssrf.SsrfDetector(),
        new Xxe.XxeDetector(),
        new Nosqli.NosqliDetector(),
        new Ldapi.LdapiDetector(),
        new Ssti.SstiDetector(),
        new Crlf.CrlfDetector(),
        new OpenRedirect.OpenRedirectDetector(),
        new Scanner.ScannerDetector(),
    ];
}
