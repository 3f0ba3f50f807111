namespace Palisade.Detection.Detectors.PathTraversal;

/// <summary>The fixed explanations a path traversal finding carries; they never contain request data.</summary>
public static class PathTraversalReasons
{
    public const string ClimbAboveRoot = "path climbing above its root";
    public const string DisguisedClimb = "path climbing with encoded or disguised dot segments";
    public const string DotSegmentInPath = "dot segment in the request path";
    public const string SensitiveFile = "path to a sensitive system or application file";
    public const string HiddenFile = "request for a hidden file or directory, or a log file";
    public const string SystemPath = "absolute path into a system directory";
    public const string StreamWrapper = "stream wrapper (php://, phar://, zip://, expect://, file:)";
    public const string RemoteInclusion = "remote file inclusion URL";
}
