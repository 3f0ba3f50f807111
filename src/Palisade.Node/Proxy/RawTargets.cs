namespace Palisade.Node.Proxy;

/// <summary>Turns a received request-target into the URI sent upstream without canonicalising it.</summary>
public static class RawTargets
{
    private static readonly UriCreationOptions Verbatim = new() { DangerousDisablePathAndQueryCanonicalization = true };

    /// <summary>
    /// The origin-form part of a target: itself for <c>/path?query</c>, the part after the authority for
    /// an absolute-form target (<c>http://host/path</c>). Null for targets that cannot be forwarded
    /// (asterisk-form, authority-form).
    /// </summary>
    public static string? OriginForm(string rawTarget)
    {
        ArgumentNullException.ThrowIfNull(rawTarget);
        if (rawTarget.StartsWith('/'))
        {
            return rawTarget;
        }

        var scheme = rawTarget.IndexOf("://", StringComparison.Ordinal);
        if (scheme <= 0)
        {
            return null;
        }

        var pathStart = rawTarget.IndexOfAny(['/', '?'], scheme + 3);
        if (pathStart < 0)
        {
            return "/";
        }

        return rawTarget[pathStart] == '?' ? "/" + rawTarget[pathStart..] : rawTarget[pathStart..];
    }

    /// <summary>The path of a target, without its query (<c>/</c> for targets without one).</summary>
    public static ReadOnlySpan<char> PathOf(string rawTarget)
    {
        var target = OriginForm(rawTarget) ?? "/";
        var query = target.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? target : target.AsSpan(0, query);
    }

    public static Uri ToUpstreamUri(string destinationPrefix, string rawTarget)
    {
        ArgumentNullException.ThrowIfNull(destinationPrefix);
        var target = OriginForm(rawTarget) ?? "/";
        var prefix = destinationPrefix.EndsWith('/') ? destinationPrefix[..^1] : destinationPrefix;
        return new Uri(prefix + target, in Verbatim);
    }
}
