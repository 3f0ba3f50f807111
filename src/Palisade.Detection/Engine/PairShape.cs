using System.Text;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Engine;

/// <summary>Whether text is a list of <c>name=value</c> pairs, as a query string or a form body is.</summary>
internal static class PairShape
{
    // "a=1&b=2": every pair has a plain name. Anything else ("1' or '1'='1", free text) is not a
    // well-formed list of pairs and deserves to be inspected as one value too.
    public static bool IsPairs(ReadOnlySpan<char> text)
    {
        foreach (var range in text.Split('&'))
        {
            var pair = text[range];
            var eq = pair.IndexOf('=');
            var key = eq < 0 ? pair : pair[..eq];
            if (!pair.IsEmpty && !KeyNames.IsPlain(PercentDecoder.Decode(key, plusAsSpace: true) ?? key))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsPairs(ReadOnlySpan<byte> body)
    {
        if (body.Length > 64 * 1024 || body.IndexOfAny("\r\n"u8) >= 0 || body.IndexOf((byte)'=') < 0)
        {
            return false;
        }

        Span<char> chars = body.Length <= 1024 ? stackalloc char[body.Length] : new char[body.Length];
        var count = Encoding.Latin1.GetChars(body, chars);
        return IsPairs(chars[..count]);
    }
}
