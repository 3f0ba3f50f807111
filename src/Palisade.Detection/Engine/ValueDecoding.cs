using System.Buffers;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Engine;

/// <summary>Cheap tests that decide whether a value is worth handing to a decoder or a container parser.</summary>
internal static class ValueDecoding
{
    private static readonly SearchValues<char> EncodingMarks = SearchValues.Create("%&\\");

    private static readonly SearchValues<char> NotInForms = SearchValues.Create("\r\n <>\"");

    /// <summary>True when the value holds a character that starts an escape (a decoder may still find none).</summary>
    public static bool MayBeEncoded(ReadOnlySpan<char> value) =>
        value.IndexOfAny(EncodingMarks) >= 0 || Base64TextDecoder.Decode(value) is not null;

    /// <summary>True when an <c>&amp;</c> is followed by a name or <c>#</c>, as an HTML character reference is.</summary>
    public static bool MayHoldEntities(ReadOnlySpan<char> value)
    {
        var i = value.IndexOf('&');
        while (i >= 0 && i + 1 < value.Length)
        {
            var next = value[i + 1];
            if (next == '#' || char.IsAsciiLetter(next))
            {
                var end = value[(i + 1)..].IndexOfAny(';', '&');
                if (next == '#' || end > 0)
                {
                    return true;
                }
            }

            var more = value[(i + 1)..].IndexOf('&');
            i = more < 0 ? -1 : i + 1 + more;
        }

        return false;
    }

    /// <summary>True when the text is an object or array from its first to its last non-blank character.</summary>
    public static bool LooksLikeJsonText(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        return text.Length >= 2 && ((text[0] == '{' && text[^1] == '}') || (text[0] == '[' && text[^1] == ']'));
    }

    /// <summary>True when the text is <c>a=1&amp;b=2</c>: at least one '=', and every name plain.</summary>
    public static bool LooksLikeFormPairs(ReadOnlySpan<char> text)
    {
        if (!text.Contains('=') || text.IndexOfAny(NotInForms) >= 0)
        {
            return false;
        }

        foreach (var range in text.Split('&'))
        {
            var pair = text[range];
            var eq = pair.IndexOf('=');
            if (pair.IsEmpty)
            {
                continue;
            }

            if (eq <= 0 || !KeyNames.IsPlain(pair[..eq]))
            {
                return false;
            }
        }

        return true;
    }
}
