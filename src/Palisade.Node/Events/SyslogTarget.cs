namespace Palisade.Node.Events;

/// <summary>
/// Where the syslog sink sends events: <c>udp://HOST:PORT</c> (RFC 5426, one datagram per event) or
/// <c>tcp://HOST:PORT</c> (RFC 6587 octet counting, one connection kept open and reopened after a failure).
/// </summary>
public sealed record SyslogTarget(bool Tcp, string Host, int Port)
{
    public static SyslogTarget Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tcp = text.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase);
        if (!tcp && !text.StartsWith("udp://", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"'{text}' is not a syslog address: use udp://HOST:PORT or tcp://HOST:PORT");
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Port <= 0 || uri.Host.Length == 0 || uri.AbsolutePath is not ("" or "/"))
        {
            throw new FormatException($"'{text}' is not a syslog address: use udp://HOST:PORT or tcp://HOST:PORT");
        }

        return new SyslogTarget(tcp, uri.IdnHost, uri.Port);
    }

    public override string ToString() => $"{(Tcp ? "tcp" : "udp")}://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}";
}
