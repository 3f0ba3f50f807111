using System.Buffers;
using Palisade.Detection.Detectors.Ssrf;
using Palisade.Detection.Detectors.Xss;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Detectors.PathTraversal;

/// <summary>
/// Detects path traversal and file inclusion: values that make a file API read outside the directory it was
/// given, read a known sensitive file, go through a stream wrapper, or include a remote script.
/// </summary>
/// <remarks>
/// <para>The value is folded by <see cref="PathNormalizer"/> (encodings, overlong UTF-8, look-alike dots and
/// slashes, backslashes), cut into path-like tokens at characters no path holds (spaces, quotes, brackets,
/// <c>= &amp; ? #</c>), and each token is resolved segment by segment as a file system would: <c>..</c> (and
/// <c>...</c>, <c>..;</c>) climbs, other segments descend. The resolved path is matched against
/// <see cref="SensitivePaths"/>.</para>
/// <para>What keeps documentation benign: a single plain <c>../</c> in a relative link (<c>../guide/index.md</c>)
/// climbs one level in a plain notation and reaches nothing sensitive. Climbing twice, climbing with a disguised
/// notation, climbing in the request path itself, or reaching a sensitive file, is flagged.</para>
/// </remarks>
public sealed class PathTraversalDetector : IDetector
{
    private const int StackChars = 512;

    private const int MaxDepth = 64;

    private const string TriggersText = "./\\%:\uFF0E\u2024\u2215\uFF0F\uFF3C\u2216";

    private static readonly SearchValues<char> Triggers = SearchValues.Create(TriggersText);

    private static readonly CharacterMask TriggerMask = CharacterMask.Of(TriggersText);

    private static readonly SearchValues<char> TokenBoundaries = SearchValues.Create(" \"'`<>()[]{},|=&?#*");

    private static readonly string[] Wrappers =
    [
        "php:", "phar:", "zip:", "expect:", "glob:", "file:", "compress.zlib:", "compress.bzip2:", "ogg:", "rar:",
        "ssh2.", "jar:file:", "local_file:", "url:file:",
    ];

    private static readonly string[] ScriptExtensions =
    [
        ".php", ".php3", ".php4", ".php5", ".phtml", ".txt", ".asp", ".aspx", ".jsp", ".cgi", ".pl", ".py", ".sh",
        ".inc", ".gif", ".jpg", ".png",
    ];

    public string Id => "path_traversal.resolve";

    public AttackType AttackType => AttackType.PathTraversal;

    public string RequiredCharacters => TriggersText;

    public bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match)
    {
        match = default;
        if (origin.IsName || !origin.Characters.ContainsAny(value, TriggerMask, Triggers))
        {
            return false;
        }

        using var scratch = new TextScratch(stackalloc char[Math.Min(value.Length, StackChars)]);
        var buffer = scratch.Get(value.Length);
        var text = PathNormalizer.Normalize(value, buffer);
        var folded = buffer[..text.Length];

        var reason = Judge(folded, text, origin.Source == ValueSource.Path) ?? JudgeRemoteInclusion(value.Trim());
        if (reason is null)
        {
            return false;
        }

        match = new DetectorMatch(reason, 0, value.Length, reason == PathTraversalReasons.RemoteInclusion ? 70 : 85);
        return true;
    }

    private static string? Judge(ReadOnlySpan<char> folded, PathText text, bool isPath)
    {
        var whole = folded.Trim();
        if (MayHoldWrapper(folded))
        {
            foreach (var wrapper in Wrappers)
            {
                if (whole.StartsWith(wrapper, StringComparison.Ordinal) && whole.Length > wrapper.Length)
                {
                    return PathTraversalReasons.StreamWrapper;
                }
            }

            if (folded.Contains("php://", StringComparison.Ordinal))
            {
                return PathTraversalReasons.StreamWrapper;
            }
        }

        if (whole.Length > 2 && whole[0] == '.' && whole.IndexOf('/') < 0 && whole.Length < StackChars)
        {
            // A bare dot file: ".htaccess", ".env".
            Span<char> dotFile = stackalloc char[whole.Length + 1];
            dotFile[0] = '/';
            whole.CopyTo(dotFile[1..]);
            return SensitivePaths.IsSensitive(dotFile) ? PathTraversalReasons.SensitiveFile : null;
        }

        if (folded.IndexOfAny('/', ':') < 0)
        {
            return null;
        }

        using var canonicalScratch = new TextScratch(stackalloc char[Math.Min(folded.Length + 1, StackChars)]);
        var canonical = canonicalScratch.Get(folded.Length + 1);
        Span<int> starts = stackalloc int[MaxDepth];

        // A whole value that is an absolute path is read as one token: Windows paths hold spaces.
        var wholeStart = folded.Length - folded.TrimStart().Length;
        var judgedWhole = whole.Length > 1 && (whole[0] == '/' || (char.IsAsciiLetter(whole[0]) && whole[1] == ':'));
        if (judgedWhole)
        {
            var reason = JudgeToken(whole, text, isPath, true, canonical, starts);
            if (reason is not null)
            {
                return reason;
            }
        }

        // Only tokens holding a slash are judged, so the scan jumps from slash to slash and widens each one to the
        // token boundaries around it (the same tokens, in the same order, as cutting the whole value at boundaries).
        var from = 0;
        while (from < folded.Length)
        {
            var slash = folded[from..].IndexOf('/');
            if (slash < 0)
            {
                break;
            }

            slash += from;
            var before = folded[from..slash].LastIndexOfAny(TokenBoundaries);
            var tokenStart = before < 0 ? from : from + before + 1;
            var after = folded[slash..].IndexOfAny(TokenBoundaries);
            var tokenEnd = after < 0 ? folded.Length : slash + after;
            var token = folded[tokenStart..tokenEnd];
            from = tokenEnd + 1;
            if (token.Length < 2)
            {
                continue;
            }

            if (judgedWhole && tokenStart == wholeStart && token.Length == whole.Length)
            {
                // The very token judged above as the whole value ("/products/42/reviews"): same input, same verdict.
                continue;
            }

            var reason = JudgeToken(token, text, isPath, token.Length == whole.Length, canonical, starts);
            if (reason is not null)
            {
                return reason;
            }
        }

        return null;
    }

    private static string? JudgeToken(ReadOnlySpan<char> token, PathText text, bool isPath, bool whole, Span<char> canonical, Span<int> starts)
    {
        var drive = token.Length >= 3 && char.IsAsciiLetter(token[0]) && token[1] == ':' && token[2] == '/';
        var absolute = drive || token[0] == '/';
        if (!absolute && !whole && !isPath && !HasDotSegment(token))
        {
            // A relative token inside a longer value ("Mozilla/5.0") is only judged for climbing or dot segments.
            return null;
        }

        var depth = 0;
        var minDepth = 0;
        var ups = 0;
        var dotsOnly = 0;
        var disguised = false;
        var length = 0;
        var stack = 0;
        var segments = drive ? token[2..] : token;
        while (!segments.IsEmpty)
        {
            var slash = segments.IndexOf('/');
            var segment = slash < 0 ? segments : segments[..slash];
            segments = slash < 0 ? default : segments[(slash + 1)..];
            var semicolon = segment.IndexOf(';');
            if (semicolon >= 0)
            {
                segment = segment[..semicolon];
                disguised |= IsDots(segment);
            }

            if (segment.IsEmpty || segment is ".")
            {
                dotsOnly += segment.IsEmpty ? 0 : 1;
                continue;
            }

            if (IsDots(segment))
            {
                ups++;
                depth--;
                minDepth = Math.Min(minDepth, depth);
                disguised |= segment.Length > 2;
                dotsOnly++;
                if (stack > 0)
                {
                    length = starts[--stack];
                }

                continue;
            }

            depth++;
            if (stack < MaxDepth)
            {
                starts[stack++] = length;
            }

            canonical[length++] = '/';
            segment.CopyTo(canonical[length..]);
            length += segment.Length;
        }

        var resolved = canonical[..length];

        // Every verdict that reads 'sensitive' needs an absolute path, a climb (minDepth < 0 implies ups > 0) or the
        // whole value; a relative token inside a sentence ("Mozilla/5.0") skips the lookup.
        var sensitive = (absolute || ups > 0 || whole) && SensitivePaths.IsSensitive(resolved);
        if (minDepth < 0)
        {
            if (sensitive)
            {
                return PathTraversalReasons.SensitiveFile;
            }

            if (disguised || text.Encoded || text.Nul || (text.Backslash && !drive))
            {
                return PathTraversalReasons.DisguisedClimb;
            }

            if (ups >= 2 || isPath)
            {
                return PathTraversalReasons.ClimbAboveRoot;
            }
        }

        if (isPath && ups > 0 && (disguised || text.Encoded || text.Nul || text.Backslash))
        {
            // Browsers resolve dot segments before sending; one that is still there and disguised was written by
            // hand. A plain one inside the root ("/a/./b/../c") is left to the server to resolve.
            return PathTraversalReasons.DotSegmentInPath;
        }

        if (dotsOnly >= 2 && length == 0)
        {
            // Nothing but "." and ".." and separators: a probe for how the server folds them.
            return PathTraversalReasons.DisguisedClimb;
        }

        if (sensitive && (absolute || ups > 0 || whole))
        {
            return PathTraversalReasons.SensitiveFile;
        }

        if (isPath && whole && SensitivePaths.IsHiddenOrLog(resolved))
        {
            return PathTraversalReasons.HiddenFile;
        }

        if (whole && !isPath && absolute && SensitivePaths.IsSystemDirectory(resolved))
        {
            return PathTraversalReasons.SystemPath;
        }

        return null;
    }

    // Sound pre-filter for the wrapper checks: every wrapper but "ssh2." holds a colon, and so does "php://".
    private static bool MayHoldWrapper(ReadOnlySpan<char> folded) =>
        folded.Contains(':') || folded.TrimStart().StartsWith("ssh2.", StringComparison.Ordinal);

    // Sound pre-filter: a segment of dots (what ".." climbs and "./." probes are made of) starts the token or
    // follows a slash.
    private static bool HasDotSegment(ReadOnlySpan<char> token) => token[0] == '.' || token.Contains("/.", StringComparison.Ordinal);

    private static bool IsDots(ReadOnlySpan<char> segment) => segment.Length >= 2 && segment.IndexOfAnyExcept('.') < 0;

    // A URL that includes a script from elsewhere: an IP-literal host serving a script, an FTP URL to an address,
    // or a trailing '?' that turns the suffix the application appends into a query string.
    private static string? JudgeRemoteInclusion(ReadOnlySpan<char> value)
    {
        // Cheap pre-filter: without a colon there is no scheme.
        var schemeLength = value.Contains(':') ? UrlReader.SchemeLength(value) : 0;
        if (schemeLength == 0)
        {
            return null;
        }

        var scheme = value[..schemeLength];
        var ftp = scheme.StartsWith("ftp", StringComparison.OrdinalIgnoreCase);
        if (!ftp && !scheme.StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var rest = value[(schemeLength + 1)..];
        if (!rest.StartsWith("//", StringComparison.Ordinal))
        {
            return null;
        }

        var host = UrlReader.StrictHost(rest, out var hostStart);
        var afterHost = rest[(hostStart + host.Length)..];
        if (afterHost.Length > 1 && afterHost[^1] == '?' && afterHost.IndexOf('?') == afterHost.Length - 1)
        {
            return PathTraversalReasons.RemoteInclusion;
        }

        var info = HostClassifier.Classify(host);
        if (!info.IsIpLiteral)
        {
            return null;
        }

        if (ftp)
        {
            return PathTraversalReasons.RemoteInclusion;
        }

        var query = afterHost.IndexOfAny('?', '#');
        var path = query < 0 ? afterHost : afterHost[..query];
        foreach (var extension in ScriptExtensions)
        {
            if (path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                return PathTraversalReasons.RemoteInclusion;
            }
        }

        return null;
    }
}
