namespace Palisade.Detection.Parsing;

/// <summary>
/// Recognises a JSON Web Token (<c>eyJ...</c>, three base64url segments, optionally after <c>Bearer </c>) and
/// decodes its header and payload into their JSON text. The signature is opaque and never decoded.
/// </summary>
public static class JwtDecoder
{
    /// <summary>Decodes the header and payload; false when the value is not a token.</summary>
    public static bool TryDecode(ReadOnlySpan<char> value, out string header, out string payload)
    {
        header = "";
        payload = "";
        if (value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            value = value[7..].TrimStart(' ');
        }

        if (value.Length < 20 || !value.StartsWith("eyJ", StringComparison.Ordinal))
        {
            return false;
        }

        var firstDot = value.IndexOf('.');
        if (firstDot < 0)
        {
            return false;
        }

        var rest = value[(firstDot + 1)..];
        var secondDot = rest.IndexOf('.');
        if (secondDot < 0 || rest[(secondDot + 1)..].Contains('.'))
        {
            return false;
        }

        var decodedHeader = DecodeSegment(value[..firstDot]);
        var decodedPayload = DecodeSegment(rest[..secondDot]);
        if (decodedHeader is null || decodedPayload is null)
        {
            return false;
        }

        header = decodedHeader;
        payload = decodedPayload;
        return true;
    }

    // Segments are unpadded base64url; the header of a token is JSON text, so it decodes to '{'.
    private static string? DecodeSegment(ReadOnlySpan<char> segment)
    {
        if (segment.Length < 4)
        {
            return null;
        }

        var decoded = Base64TextDecoder.Decode(segment);
        return decoded is not null && decoded.AsSpan().TrimStart().StartsWith('{') ? decoded : null;
    }
}
