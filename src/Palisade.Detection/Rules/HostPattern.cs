namespace Palisade.Detection.Rules;

/// <summary>A host a route or rule applies to: <c>api.example.com</c>, or <c>*.example.com</c> for its subdomains. Case and port are ignored.</summary>
public sealed class HostPattern
{
    private readonly string _host;
    private readonly bool _wildcard;

    private HostPattern(string text)
    {
        Text = text;
        _wildcard = text.StartsWith("*.", StringComparison.Ordinal);
        _host = (_wildcard ? text[1..] : text).ToLowerInvariant();
    }

    public string Text { get; }

    public static HostPattern? TryCreate(string? host, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(host) || host.AsSpan(host.StartsWith("*.", StringComparison.Ordinal) ? 2 : 0).ContainsAnyExcept(HostCharacters))
        {
            error = $"'{host}' is not a host name (letters, digits, '-', '.', or a leading '*.')";
            return null;
        }

        return new HostPattern(host);
    }

    /// <summary>True for the request's Host (with or without its port).</summary>
    public bool Matches(ReadOnlySpan<char> host)
    {
        var colon = host.LastIndexOf(':');
        if (colon >= 0 && !host.EndsWith("]") && host.IndexOf(':') == colon)
        {
            host = host[..colon];
        }

        if (host.EndsWith("."))
        {
            host = host[..^1];
        }

        return _wildcard
            ? host.Length > _host.Length && host.EndsWith(_host, StringComparison.OrdinalIgnoreCase)
            : host.Equals(_host, StringComparison.OrdinalIgnoreCase);
    }

    public override string ToString() => Text;

    private static readonly System.Buffers.SearchValues<char> HostCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.[]:");
}
