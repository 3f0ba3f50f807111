using System.Collections.Frozen;

namespace Palisade.Detection.Detectors.Nosqli;

/// <summary>MongoDB query, update and aggregation operators, without their <c>$</c>.</summary>
internal static class MongoOperators
{
    private static readonly FrozenSet<string> Names = FrozenSet.Create(
        StringComparer.Ordinal,
        "ne", "eq", "gt", "gte", "lt", "lte", "in", "nin", "regex", "where", "exists", "or", "and", "nor", "not",
        "expr", "elemMatch", "all", "size", "type", "mod", "text", "comment", "function", "accumulator", "jsonSchema",
        "lookup", "options", "search", "set", "unset", "inc", "push", "rename", "match", "group", "project",
        "unionWith", "merge", "out");

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
