using System.Collections.Frozen;

namespace Palisade.Detection.Detectors.CodeInjection;

/// <summary>
/// A PHP function called with a comment between its name and its parenthesis: <c>gzuncompress/*comment*/()</c>,
/// <c>system /**/ ('id')</c>. The comment changes nothing for PHP and only splits the call from filters that look
/// for <c>name(</c>; prose and code do not put a comment there. Only names of functions that run code or that
/// payloads decode and probe with count (<see cref="CodeNames.Execution"/>, <see cref="CodeNames.PhpFunctions"/>).
/// </summary>
internal static class CommentedCalls
{
    // The longest comment read back from its end, and the longest name.
    private const int MaxComment = 64;
    private const int MaxName = 32;

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Execution = CodeNames.Execution.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> PhpFunctions = CodeNames.PhpFunctions.GetAlternateLookup<ReadOnlySpan<char>>();

    public static CodeFinding Find(ReadOnlySpan<char> value)
    {
        var close = value.IndexOf("*/", StringComparison.Ordinal);
        while (close >= 0)
        {
            var open = CodeText.SkipSpaces(value, close + 2);
            if (open < value.Length && value[open] == '(')
            {
                var windowStart = Math.Max(0, close - MaxComment);
                var comment = value[windowStart..close].LastIndexOf("/*", StringComparison.Ordinal);
                var nameEnd = comment < 0 ? -1 : windowStart + comment;
                while (nameEnd > 0 && value[nameEnd - 1] is ' ' or '\t')
                {
                    nameEnd--;
                }

                var nameStart = nameEnd;
                while (nameStart > 0 && nameEnd - nameStart < MaxName && CodeText.IsIdentifierChar(value[nameStart - 1]))
                {
                    nameStart--;
                }

                var name = value[Math.Max(0, nameStart)..Math.Max(0, nameEnd)];
                if (!name.IsEmpty && CodeText.StartsWord(value, nameStart) && (Execution.Contains(name) || PhpFunctions.Contains(name)))
                {
                    var end = CodeText.ClosingBracket(value, open, '(', ')', 256);
                    return new CodeFinding("PHP call split by a comment", nameStart, end < 0 ? open + 1 : end + 1, 75);
                }
            }

            var next = value[(close + 2)..].IndexOf("*/", StringComparison.Ordinal);
            close = next < 0 ? -1 : close + 2 + next;
        }

        return default;
    }
}
