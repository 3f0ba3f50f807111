using System.Collections.Frozen;

namespace Palisade.Detection.Engine;

/// <summary>
/// Words that only injections put into the free text of a structured header (a User-Agent comment):
/// SQL verbs and operators, shell commands. A comment holding one is inspected instead of skipped.
/// </summary>
internal static class InjectionWords
{
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Words = new[]
    {
        "select", "union", "sleep", "benchmark", "waitfor", "delay", "or", "and", "xor", "having", "order", "group",
        "exec", "execute", "drop", "insert", "update", "delete", "from", "where", "null", "system", "eval", "curl",
        "wget", "cat", "id", "whoami", "ping", "nc", "bash", "sh", "cmd", "powershell", "passwd",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>True when any space-, comma- or semicolon-separated word of <paramref name="text"/> is one of them.</summary>
    public static bool AnyIn(ReadOnlySpan<char> text)
    {
        foreach (var range in text.SplitAny(" ,;"))
        {
            var word = text[range];
            if (word.Length is >= 2 and <= 10 && Words.Contains(word))
            {
                return true;
            }
        }

        return false;
    }
}
