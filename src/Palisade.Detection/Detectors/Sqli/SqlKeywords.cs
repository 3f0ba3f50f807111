using System.Collections.Frozen;

namespace Palisade.Detection.Detectors.Sqli;

/// <summary>
/// Case-insensitive lookup of <see cref="SqlKeyword"/> by its spelling (MySQL, PostgreSQL, SQL Server,
/// Oracle and SQLite words), without allocating: the table is searched with the token's span.
/// </summary>
internal static class SqlKeywords
{
    private static readonly FrozenDictionary<string, SqlKeyword> ByName = new Dictionary<string, SqlKeyword>(StringComparer.OrdinalIgnoreCase)
    {
        ["select"] = SqlKeyword.Select,
        ["from"] = SqlKeyword.From,
        ["where"] = SqlKeyword.Where,
        ["group"] = SqlKeyword.Group,
        ["order"] = SqlKeyword.Order,
        ["by"] = SqlKeyword.By,
        ["having"] = SqlKeyword.Having,
        ["limit"] = SqlKeyword.Limit,
        ["offset"] = SqlKeyword.Offset,
        ["fetch"] = SqlKeyword.Fetch,
        ["union"] = SqlKeyword.Union,
        ["except"] = SqlKeyword.Except,
        ["intersect"] = SqlKeyword.Intersect,
        ["minus"] = SqlKeyword.Minus,
        ["all"] = SqlKeyword.All,
        ["distinct"] = SqlKeyword.Distinct,
        ["distinctrow"] = SqlKeyword.DistinctRow,
        ["top"] = SqlKeyword.Top,
        ["as"] = SqlKeyword.As,
        ["join"] = SqlKeyword.Join,
        ["inner"] = SqlKeyword.Inner,
        ["outer"] = SqlKeyword.Outer,
        ["cross"] = SqlKeyword.Cross,
        ["natural"] = SqlKeyword.Natural,
        ["straight_join"] = SqlKeyword.Straight,
        ["on"] = SqlKeyword.On,
        ["using"] = SqlKeyword.Using,
        ["into"] = SqlKeyword.Into,
        ["outfile"] = SqlKeyword.Outfile,
        ["dumpfile"] = SqlKeyword.Dumpfile,
        ["values"] = SqlKeyword.Values,
        ["with"] = SqlKeyword.With,
        ["rollup"] = SqlKeyword.Rollup,
        ["for"] = SqlKeyword.For,
        ["asc"] = SqlKeyword.Asc,
        ["desc"] = SqlKeyword.Desc,
        ["procedure"] = SqlKeyword.Procedure,
        ["lock"] = SqlKeyword.Lock,
        ["share"] = SqlKeyword.Share,
        ["mode"] = SqlKeyword.Mode,
        ["and"] = SqlKeyword.And,
        ["or"] = SqlKeyword.Or,
        ["xor"] = SqlKeyword.Xor,
        ["not"] = SqlKeyword.Not,
        ["like"] = SqlKeyword.Like,
        ["rlike"] = SqlKeyword.Rlike,
        ["regexp"] = SqlKeyword.Regexp,
        ["glob"] = SqlKeyword.Glob,
        ["ilike"] = SqlKeyword.Ilike,
        ["similar"] = SqlKeyword.Similar,
        ["to"] = SqlKeyword.To,
        ["sounds"] = SqlKeyword.Sounds,
        ["is"] = SqlKeyword.Is,
        ["null"] = SqlKeyword.Null,
        ["true"] = SqlKeyword.True,
        ["false"] = SqlKeyword.False,
        ["unknown"] = SqlKeyword.Unknown,
        ["in"] = SqlKeyword.In,
        ["between"] = SqlKeyword.Between,
        ["exists"] = SqlKeyword.Exists,
        ["div"] = SqlKeyword.Div,
        ["mod"] = SqlKeyword.Mod,
        ["collate"] = SqlKeyword.Collate,
        ["escape"] = SqlKeyword.Escape,
        ["binary"] = SqlKeyword.Binary,
        ["case"] = SqlKeyword.Case,
        ["when"] = SqlKeyword.When,
        ["then"] = SqlKeyword.Then,
        ["else"] = SqlKeyword.Else,
        ["end"] = SqlKeyword.End,
        ["interval"] = SqlKeyword.Interval,
        ["any"] = SqlKeyword.Any,
        ["some"] = SqlKeyword.Some,
        ["boolean"] = SqlKeyword.Boolean,
        ["against"] = SqlKeyword.Against,
        ["insert"] = SqlKeyword.Insert,
        ["replace"] = SqlKeyword.Replace,
        ["update"] = SqlKeyword.Update,
        ["set"] = SqlKeyword.Set,
        ["delete"] = SqlKeyword.Delete,
        ["drop"] = SqlKeyword.Drop,
        ["create"] = SqlKeyword.Create,
        ["alter"] = SqlKeyword.Alter,
        ["truncate"] = SqlKeyword.Truncate,
        ["rename"] = SqlKeyword.Rename,
        ["grant"] = SqlKeyword.Grant,
        ["revoke"] = SqlKeyword.Revoke,
        ["exec"] = SqlKeyword.Exec,
        ["execute"] = SqlKeyword.Execute,
        ["declare"] = SqlKeyword.Declare,
        ["waitfor"] = SqlKeyword.Waitfor,
        ["delay"] = SqlKeyword.Delay,
        ["shutdown"] = SqlKeyword.Shutdown,
        ["begin"] = SqlKeyword.Begin,
        ["goto"] = SqlKeyword.Goto,
        ["if"] = SqlKeyword.If,
        ["print"] = SqlKeyword.Print,
        ["copy"] = SqlKeyword.Copy,
        ["load"] = SqlKeyword.Load,
        ["bulk"] = SqlKeyword.Bulk,
        ["backup"] = SqlKeyword.Backup,
        ["call"] = SqlKeyword.Call,
        ["handler"] = SqlKeyword.Handler,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, SqlKeyword>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        ByName.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Every keyword's spelling.</summary>
    public static IEnumerable<string> Names => ByName.Keys;

    // Longer words skip the lookup.
    private static readonly int MaxLength = LongestKey(ByName);

    /// <summary>The keyword spelled by <paramref name="word"/>, or <see cref="SqlKeyword.None"/>.</summary>
    public static SqlKeyword Find(ReadOnlySpan<char> word) =>
        word.Length <= MaxLength && Lookup.TryGetValue(word, out var keyword) ? keyword : SqlKeyword.None;

    private static int LongestKey<T>(FrozenDictionary<string, T> table)
    {
        var max = 0;
        foreach (var key in table.Keys)
        {
            max = Math.Max(max, key.Length);
        }

        return max;
    }

    /// <summary>
    /// Reserved words cannot stand as a column name or alias. Treating the grammar's words as reserved keeps
    /// English ("as for me", "order of the day") from reading as SQL; soft words (<c>TOP</c>, <c>MODE</c>,
    /// <c>DELAY</c>, <c>REPLACE</c>, <c>IF</c>...) are names unless their grammar applies.
    /// </summary>
    public static bool IsReserved(SqlKeyword keyword) => keyword switch
    {
        SqlKeyword.Select or SqlKeyword.From or SqlKeyword.Where or SqlKeyword.Group or SqlKeyword.Order
            or SqlKeyword.By or SqlKeyword.Having or SqlKeyword.Limit or SqlKeyword.Union or SqlKeyword.Except
            or SqlKeyword.Intersect or SqlKeyword.Minus or SqlKeyword.All or SqlKeyword.Distinct
            or SqlKeyword.DistinctRow or SqlKeyword.As or SqlKeyword.Join or SqlKeyword.Inner or SqlKeyword.Outer
            or SqlKeyword.Cross or SqlKeyword.Natural or SqlKeyword.Straight or SqlKeyword.On or SqlKeyword.Using
            or SqlKeyword.Into or SqlKeyword.Values or SqlKeyword.With or SqlKeyword.For or SqlKeyword.Asc
            or SqlKeyword.Desc or SqlKeyword.Procedure or SqlKeyword.And or SqlKeyword.Or or SqlKeyword.Xor
            or SqlKeyword.Not or SqlKeyword.Like or SqlKeyword.Rlike or SqlKeyword.Regexp or SqlKeyword.Glob
            or SqlKeyword.Ilike or SqlKeyword.Similar or SqlKeyword.To or SqlKeyword.Sounds or SqlKeyword.Is
            or SqlKeyword.In or SqlKeyword.Between or SqlKeyword.Exists or SqlKeyword.Div or SqlKeyword.Collate
            or SqlKeyword.Escape or SqlKeyword.Case or SqlKeyword.When or SqlKeyword.Then or SqlKeyword.Else
            or SqlKeyword.End or SqlKeyword.Interval or SqlKeyword.Insert or SqlKeyword.Update or SqlKeyword.Set
            or SqlKeyword.Delete or SqlKeyword.Drop or SqlKeyword.Create or SqlKeyword.Alter
            or SqlKeyword.Truncate or SqlKeyword.Grant or SqlKeyword.Revoke or SqlKeyword.Exec
            or SqlKeyword.Execute or SqlKeyword.Declare or SqlKeyword.Waitfor => true,
        _ => false,
    };
}
