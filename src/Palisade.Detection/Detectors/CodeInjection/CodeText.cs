using System.Buffers;

namespace Palisade.Detection.Detectors.CodeInjection;

/// <summary>
/// Small, allocation-free readers over code-like text shared by the code injection and template injection
/// detectors: identifiers, whitespace, case-insensitive literals and the calls and arguments that follow a name.
/// Every reader moves forward only, so a scan built from them stays linear in the value's length.
/// </summary>
internal static class CodeText
{
    /// <summary>Characters an identifier is made of in the languages read here (PHP, Java, JavaScript, Python, Ruby, Perl).</summary>
    public static readonly SearchValues<char> IdentifierCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$");

    public static bool IsIdentifierChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$';

    public static bool IsIdentifierStart(char c) => char.IsAsciiLetter(c) || c is '_' or '$';

    /// <summary>The end of the identifier that starts at <paramref name="start"/>.</summary>
    public static int IdentifierEnd(ReadOnlySpan<char> text, int start)
    {
        var length = text[start..].IndexOfAnyExcept(IdentifierCharacters);
        return length < 0 ? text.Length : start + length;
    }

    /// <summary>The first position at or after <paramref name="index"/> that is not whitespace.</summary>
    public static int SkipSpaces(ReadOnlySpan<char> text, int index)
    {
        while (index < text.Length && char.IsWhiteSpace(text[index]))
        {
            index++;
        }

        return index;
    }

    /// <summary>
    /// The bracket that closes the <paramref name="opening"/> at <paramref name="open"/> (nested pairs counted), within
    /// <paramref name="limit"/> characters, or -1.
    /// </summary>
    public static int ClosingBracket(ReadOnlySpan<char> text, int open, char opening, char closing, int limit)
    {
        var depth = 0;
        var end = Math.Min(text.Length, open + limit);
        for (var i = open; i < end; i++)
        {
            if (text[i] == opening)
            {
                depth++;
            }
            else if (text[i] == closing && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether <paramref name="literal"/> (lower case ASCII) is written at <paramref name="index"/>, in any case.</summary>
    public static bool At(ReadOnlySpan<char> text, int index, string literal) =>
        index >= 0 && index + literal.Length <= text.Length && text.Slice(index, literal.Length).Equals(literal, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the identifier at <paramref name="start"/> starts a word (is not the tail of a longer one).</summary>
    public static bool StartsWord(ReadOnlySpan<char> text, int start) => start == 0 || !IsIdentifierChar(text[start - 1]);

    /// <summary>
    /// Whether a call's argument list opens at <paramref name="index"/> (after optional spaces) with a real argument:
    /// a string, a backtick, a variable, a nested call or a name. An empty list (<c>eval()</c> in prose) is not one.
    /// </summary>
    public static bool OpensCallWithArgument(ReadOnlySpan<char> text, int index, out int argumentStart)
    {
        argumentStart = -1;
        index = SkipSpaces(text, index);
        if (index >= text.Length || text[index] != '(')
        {
            return false;
        }

        index = SkipSpaces(text, index + 1);
        if (index >= text.Length)
        {
            // A call left open at the end of the value: what follows is the attacker's.
            argumentStart = index;
            return true;
        }

        argumentStart = index;
        return text[index] is '\'' or '"' or '`' or '$' or '@' or '[' or '(' or '\\' || IsIdentifierStart(text[index]) || char.IsAsciiDigit(text[index]);
    }
}
