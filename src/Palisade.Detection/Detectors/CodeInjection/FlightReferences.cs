namespace Palisade.Detection.Detectors.CodeInjection;

/// <summary>
/// React Server Components ("flight") references that walk to a prototype: a string such as <c>$3:constructor:constructor</c>
/// or <c>$1:__proto__:then</c> is resolved by the server as chunk 3, then property <c>constructor</c>, then
/// <c>constructor</c> again, which reaches <c>Function</c> (CVE-2025-55182, "React2Shell"). A reference's path names
/// the fields of the data it points into; <c>__proto__</c>, <c>prototype</c> and <c>constructor</c> are never data.
/// </summary>
internal static class FlightReferences
{
    // A chunk id is a short hex number; a path of more than a few segments is no payload's.
    private const int MaxId = 8;
    private const int MaxSegments = 8;

    // Longer than any property name a payload walks through; bounds the read so a value of '$' runs stays linear.
    private const int MaxSegment = 32;

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");

    public static CodeFinding Find(ReadOnlySpan<char> value)
    {
        var at = value.IndexOf('$');
        while (at >= 0)
        {
            var i = at + 1;
            var digits = i < value.Length ? value[i..Math.Min(value.Length, i + MaxId + 1)].IndexOfAnyExcept(HexDigits) : -1;
            i += digits;
            if (digits > 0 && digits <= MaxId && value[i] == ':')
            {
                for (var segments = 0; segments < MaxSegments && i < value.Length && value[i] == ':'; segments++)
                {
                    var end = CodeText.IdentifierEnd(value[..Math.Min(value.Length, i + 1 + MaxSegment)], i + 1);
                    var segment = value[(i + 1)..end];
                    if (segment.Equals("__proto__", StringComparison.Ordinal) || segment.Equals("prototype", StringComparison.Ordinal)
                        || segment.Equals("constructor", StringComparison.Ordinal))
                    {
                        return new CodeFinding("React flight reference walks to a prototype", at, end, 85);
                    }

                    i = end;
                }
            }

            var next = value[(at + 1)..].IndexOf('$');
            at = next < 0 ? -1 : at + 1 + next;
        }

        return default;
    }
}
