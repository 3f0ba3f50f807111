using System.Collections.Frozen;

namespace Palisade.Detection.Detectors.Nosqli;

/// <summary>MongoDB query operators (update and aggregation stages are left out: applications send those themselves), without their <c>$</c>.</summary>
internal static class MongoOperators
{
    private static readonly FrozenSet<string> Names = FrozenSet.Create(
        StringComparer.Ordinal,
        "ne", "eq", "gt", "gte", "lt", "lte", "in", "nin", "regex", "where", "exists", "or", "and", "nor", "not",
        "expr", "elemMatch", "all", "size", "mod", "comment", "function", "accumulator", "jsonSchema");

    /// <summary>Whether <paramref name="name"/> (letters after a <c>$</c>) is an operator.</summary>
    public static bool Contains(ReadOnlySpan<char> name) => Names.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name);

    /// <summary>The letters after the <c>$</c> at <paramref name="dollar"/>.</summary>
    public static ReadOnlySpan<char> NameAfter(ReadOnlySpan<char> s, int dollar)
    {
        var i = dollar + 1;
        while (i < s.Length && i - dollar <= 16 && char.IsAsciiLetter(s[i]))
        {
            i++;
        }

        return s[(dollar + 1)..i];
    }
}
