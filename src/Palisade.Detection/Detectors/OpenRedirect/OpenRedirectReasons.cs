namespace Palisade.Detection.Detectors.OpenRedirect;

/// <summary>The fixed explanations an open redirect finding carries; they never contain request data.</summary>
public static class OpenRedirectReasons
{
    public const string DisguisedProtocolRelative = "protocol-relative URL disguised with extra slashes, backslashes or control characters";
    public const string MalformedSchemeSlashes = "web URL with missing, extra or reversed slashes after the scheme";
    public const string UrlAfterSlash = "absolute URL behind a leading slash";
    public const string LookAlikeSlash = "URL starting with a character that folds to a slash";
    public const string HostLikeCredentials = "URL whose credentials look like a trusted host";
    public const string HostConfusion = "URL whose host parsers disagree on (#@, ?@, \\@)";
    public const string ObfuscatedHost = "URL to an IP address in obfuscated notation";
    public const string InvalidHostCharacters = "URL host with characters no host has";
    public const string DotSegmentsAfterHost = "URL with encoded dot segments after the host";
    public const string NestedUrl = "URL whose path starts with another absolute URL";
    public const string EscapedScriptScheme = "javascript: scheme written with backslash escapes";
    public const string RedirectSpray = "relative URL whose query carries several redirect targets";
    public const string ScriptUrlWithAuthority = "javascript: URL dressed as a network URL";
    public const string EncodedScheme = "URL with a percent-encoded scheme or host";
}
