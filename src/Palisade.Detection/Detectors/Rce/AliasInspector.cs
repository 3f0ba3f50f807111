using Palisade.Detection.Findings;

namespace Palisade.Detection.Detectors.Rce;

/// <summary>
/// Finds a shell alias defined and then run: <c>alias a=c${x}url&amp;a evil.example</c>,
/// <c>alias 'letter'=curl&amp;letter evil.example</c>. Defining an alias and running it next is how a payload gets a
/// command past a filter that looks for the command's name in command position. The definition must be a command of
/// its own (at the start of the value or after a separator), its value must start with a command the detector knows,
/// and the alias must be run after a separator in the same value, or its definition be obfuscated. A value that is
/// a definition and nothing else (<c>alias a=b</c>, <c>alias -p x=id</c>) is a command line of its own, as a web
/// shell's parameter carries it; prose ("an alias for gettext") has no <c>name=value</c> word after the keyword.
/// </summary>
internal static class AliasInspector
{
    private const int WordBuffer = 64;

    public static bool TryFind(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        match = default;
        for (var at = value.IndexOf("alias", StringComparison.OrdinalIgnoreCase); at >= 0; at = Next(value, at))
        {
            if (StartsCommand(value, at) && at + 5 < value.Length && value[at + 5] is ' ' or '\t' && TryJudgeDefinition(value, at, out match))
            {
                return true;
            }
        }

        return false;
    }

    private static int Next(ReadOnlySpan<char> value, int at)
    {
        var next = value[(at + 5)..].IndexOf("alias", StringComparison.OrdinalIgnoreCase);
        return next < 0 ? -1 : at + 5 + next;
    }

    // Whether a command after `from` (each following a separator) is the alias: "&a google.com".
    private static bool IsRunAfter(ReadOnlySpan<char> value, int from, ReadOnlySpan<char> alias)
    {
        Span<char> text = stackalloc char[WordBuffer];
        for (var n = 0; n < 8; n++)
        {
            var separator = value[from..].IndexOfAny(";&|\n\r");
            if (separator < 0)
            {
                return false;
            }

            var start = from + separator;
            while (start < value.Length && value[start] is ';' or '&' or '|' or '\n' or '\r')
            {
                start++;
            }

            var word = ShellWordReader.Read(value, start, text);
            if (word.Fits && text[..word.Length].SequenceEqual(alias))
            {
                return true;
            }

            from = Math.Max(start, word.End);
        }

        return false;
    }

    // At the start of the value or of a command: only blanks since the last separator.
    private static bool StartsCommand(ReadOnlySpan<char> value, int at)
    {
        for (var i = at - 1; i >= 0; i--)
        {
            switch (value[i])
            {
                case ' ' or '\t':
                    continue;
                case ';' or '&' or '|' or '\n' or '\r' or '`' or '(':
                    return true;
                default:
                    return false;
            }
        }

        return true;
    }

    // alias [-p] NAME=VALUE: VALUE's first word (quotes removed) is a command.
    private static bool TryJudgeDefinition(ReadOnlySpan<char> value, int at, out DetectorMatch match)
    {
        match = default;
        Span<char> text = stackalloc char[WordBuffer];
        var end = at + 5;
        for (var n = 0; n < 4; n++)
        {
            var word = ShellWordReader.Read(value, end, text);
            if (!word.Fits)
            {
                return false;
            }

            var definition = text[..word.Length];
            end = word.End;
            if (definition[0] is '-' or '+')
            {
                continue;
            }

            var equals = definition.IndexOf('=');
            if (equals <= 0)
            {
                return false;
            }

            // The whole value is the definition ("alias a=b", "alias -p x=id"): shell syntax no text writes, sent
            // where a command line is expected.
            if (value[..at].IsWhiteSpace() && ShellWordReader.SkipBlanks(value, word.End) >= value.TrimEnd("\r\n\t ").Length)
            {
                match = new DetectorMatch(RceReasons.CommandAlias, at, word.End - at, 75);
                return true;
            }

            var command = definition[(equals + 1)..].TrimStart(" \t");
            var blank = command.IndexOfAny(' ', '\t');
            var name = blank < 0 ? command : command[..blank];
            if (name.IsEmpty || ShellCommands.Classify(name) == ShellCommandKind.Unknown)
            {
                return false;
            }

            Span<char> alias = stackalloc char[equals];
            definition[..equals].CopyTo(alias);
            // Quotes around the value are how aliases are written; an expansion or an escape inside is not.
            if (value[word.Start..word.End].IndexOfAny('$', '\\') < 0 && !IsRunAfter(value, word.End, alias))
            {
                return false;
            }

            match = new DetectorMatch(RceReasons.CommandAlias, at, word.End - at, 85);
            return true;
        }

        return false;
    }
}
