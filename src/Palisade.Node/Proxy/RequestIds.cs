using Microsoft.Extensions.Primitives;

namespace Palisade.Node.Proxy;

/// <summary>
/// Request ids: a client's <c>X-Request-Id</c> is kept when it is one plain token of up to 128 characters
/// (letters, digits, <c>-._:</c>), so ids that tie logs together across services survive; otherwise the
/// node makes a new 32-hex-digit id.
/// </summary>
public static class RequestIds
{
    public const int MaxLength = 128;

    public static string FromHeaderOrNew(StringValues incoming)
    {
        if (incoming.Count == 1 && IsValid(incoming[0]))
        {
            return incoming[0]!;
        }

        return New();
    }

    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '.' or '_' or ':'))
            {
                return false;
            }
        }

        return true;
    }

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
