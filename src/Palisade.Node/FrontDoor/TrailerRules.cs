namespace Palisade.Node.FrontDoor;

/// <summary>
/// Fields that must not arrive as trailers (RFC 9110 §6.5.1): framing, routing, authentication, content handling
/// and the forwarding fields the node sets itself. A server that merged them into the headers would act on values
/// nobody inspected.
/// </summary>
internal static class TrailerRules
{
    private static readonly byte[][] Forbidden =
    [
        "content-length"u8.ToArray(), "transfer-encoding"u8.ToArray(), "host"u8.ToArray(), "authorization"u8.ToArray(),
        "proxy-authorization"u8.ToArray(), "cookie"u8.ToArray(), "set-cookie"u8.ToArray(), "content-type"u8.ToArray(),
        "content-encoding"u8.ToArray(), "content-range"u8.ToArray(), "trailer"u8.ToArray(), "te"u8.ToArray(),
        "connection"u8.ToArray(), "keep-alive"u8.ToArray(), "upgrade"u8.ToArray(), "expect"u8.ToArray(), "range"u8.ToArray(),
        "max-forwards"u8.ToArray(), "x-forwarded-for"u8.ToArray(), "x-forwarded-proto"u8.ToArray(), "x-forwarded-host"u8.ToArray(),
        "x-real-ip"u8.ToArray(), "forwarded"u8.ToArray(), "x-request-id"u8.ToArray(),
    ];

    public static bool IsForbidden(ReadOnlySpan<byte> name)
    {
        var hyphenated = Underscored(name, stackalloc byte[64]);
        foreach (var forbidden in Forbidden)
        {
            if (HttpSyntax.EqualsLower(hyphenated, forbidden))
            {
                return true;
            }
        }

        return false;
    }

    private static ReadOnlySpan<byte> Underscored(ReadOnlySpan<byte> name, Span<byte> scratch)
    {
        if (name.Length > scratch.Length || !name.Contains((byte)'_'))
        {
            return name;
        }

        name.CopyTo(scratch);
        scratch[..name.Length].Replace((byte)'_', (byte)'-');
        return scratch[..name.Length];
    }
}
