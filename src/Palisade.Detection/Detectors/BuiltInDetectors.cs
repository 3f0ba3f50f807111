namespace Palisade.Detection.Detectors;

/// <summary>The detectors every engine runs unless told otherwise, in a fixed order.</summary>
public static class BuiltInDetectors
{
    public static IReadOnlyList<IDetector> Create() => [new Sqli.SqliDetector(), new Xss.XssDetector(), new CodeInjection.CodeInjectionDetector(), new Ssti.SstiDetector()];
}
