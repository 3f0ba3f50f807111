using Palisade.Detection.Findings;

namespace Palisade.Detection.Detectors.Rce;

/// <summary>
/// Finds a command assembled from shell variables the value sets itself: <c>a=/etc&amp;&amp;b=/passwd&amp;&amp;c=cat&amp;&amp;$c $a$b</c>,
/// <c>c1=c;c2=a;c3=t;$c1$c2$c3 /etc/passwd</c>, <c>garb=adduse[r];$garb pizza</c>. Splitting a program's name
/// over variables is how a payload gets it past a filter that reads command words; no form field, path or
/// sentence sets a variable and then runs it. The assignments must be commands of their own (at the start of the
/// value or after a separator), and the command word, once every variable the value set is expanded (and every
/// other one expands to nothing, as an unset variable does), must name a program the detector knows.
/// </summary>
internal static class VariableInspector
{
    private const int MaxVariables = 16;
    private const int MaxCommands = 64;
    private const int NameLength = 16;
    private const int WordBuffer = 64;

    public static bool TryFind(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        match = default;
        if (value.Length > 4096 || value.IndexOf('$') < 0)
        {
            return false;
        }

        Span<char> names = stackalloc char[MaxVariables * NameLength];
        Span<char> values = stackalloc char[MaxVariables * WordBuffer];
        Span<int> nameLengths = stackalloc int[MaxVariables];
        Span<int> valueLengths = stackalloc int[MaxVariables];
        Span<char> text = stackalloc char[WordBuffer];
        var count = 0;
        var at = 0;
        for (var n = 0; n < MaxCommands && at < value.Length; n++)
        {
            var start = ShellWordReader.SkipBlanks(value, at);
            if (start >= value.Length)
            {
                break;
            }

            var end = start + 1;
            if (AssignmentNameLength(value[start..]) is var nameLength and > 0 && count < MaxVariables)
            {
                var word = ShellWordReader.Read(value, start, text);
                end = Math.Max(word.End, start + 1);
                if (word.Fits)
                {
                    text[..nameLength].CopyTo(names[(count * NameLength)..]);
                    nameLengths[count] = nameLength;
                    var assigned = text[(nameLength + 1)..word.Length];
                    assigned.CopyTo(values[(count * WordBuffer)..]);
                    valueLengths[count] = assigned.Length;
                    count++;
                }
            }
            else if (value[start] == '$' && count > 0)
            {
                var variables = new Variables(names, nameLengths, values, valueLengths, count);
                var expanded = Expand(value, start, variables, text, out end, out var substituted);
                if (substituted && expanded > 0 && NamesCommand(text[..expanded]))
                {
                    match = new DetectorMatch(RceReasons.CommandFromVariables, start, end - start, 90);
                    return true;
                }
            }

            var separator = value[end..].IndexOfAny(";&|\n\r");
            if (separator < 0)
            {
                break;
            }

            at = end + separator;
            while (at < value.Length && value[at] is ';' or '&' or '|' or '\n' or '\r')
            {
                at++;
            }
        }

        return false;
    }

    // NAME= at the start: a shell name of up to 15 characters.
    private static int AssignmentNameLength(ReadOnlySpan<char> rest)
    {
        if (rest.IsEmpty || !(char.IsAsciiLetter(rest[0]) || rest[0] == '_'))
        {
            return 0;
        }

        var i = 1;
        while (i < rest.Length && i < NameLength && (char.IsAsciiLetterOrDigit(rest[i]) || rest[i] == '_'))
        {
            i++;
        }

        return i < rest.Length && rest[i] == '=' ? i : 0;
    }

    // The command word at `start` with every $NAME and ${NAME} expanded, quotes and escapes removed, in lower
    // case, into `text`: its length, or 0 when it does not fit.
    private static int Expand(ReadOnlySpan<char> value, int start, in Variables variables, Span<char> text, out int end, out bool substituted)
    {
        substituted = false;
        var length = 0;
        var i = start;
        while (i < value.Length && value[i] is not (' ' or '\t' or '\n' or '\r' or ';' or '|' or '&' or '<' or '>' or '(' or ')'))
        {
            var c = value[i];
            if (c == '$' && ReadName(value, i, out var name, out var next))
            {
                if (variables.Find(name) is var found && !found.IsEmpty)
                {
                    if (length + found.Length > text.Length)
                    {
                        end = i;
                        return 0;
                    }

                    found.CopyTo(text[length..]);
                    length += found.Length;
                    substituted = true;
                }

                i = next;
                continue;
            }

            if (c is '\'' or '"')
            {
                i++;
                continue;
            }

            if (c == '\\' && i + 1 < value.Length)
            {
                i++;
                c = value[i];
            }

            if (length == text.Length)
            {
                end = i;
                return 0;
            }

            text[length++] = char.ToLowerInvariant(c);
            i++;
        }

        end = i;
        return length;
    }

    // $name or ${name} at `i`: the name in lower case is compared by the caller.
    private static bool ReadName(ReadOnlySpan<char> value, int i, out ReadOnlySpan<char> name, out int next)
    {
        var braced = i + 1 < value.Length && value[i + 1] == '{';
        var from = i + (braced ? 2 : 1);
        var to = from;
        while (to < value.Length && to - from < NameLength && (char.IsAsciiLetterOrDigit(value[to]) || value[to] == '_'))
        {
            to++;
        }

        name = value[from..to];
        if (to == from || (braced && (to >= value.Length || value[to] != '}')))
        {
            next = i + 1;
            return false;
        }

        next = braced ? to + 1 : to;
        return true;
    }

    // The first word of the expanded text names a program; one-character brackets are the glob they spell
    // ("adduse[r]" runs adduser when nothing else matches).
    private static bool NamesCommand(ReadOnlySpan<char> expanded)
    {
        var blank = expanded.IndexOfAny(' ', '\t');
        var word = blank < 0 ? expanded : expanded[..blank];
        Span<char> plain = stackalloc char[word.Length];
        var length = 0;
        for (var i = 0; i < word.Length; i++)
        {
            if (word[i] == '[' && i + 2 < word.Length && word[i + 2] == ']')
            {
                plain[length++] = word[i + 1];
                i += 2;
                continue;
            }

            plain[length++] = word[i];
        }

        return length > 0 && ShellCommands.Classify(plain[..length]) != ShellCommandKind.Unknown;
    }

    // The variables set so far: names and values in lower case, side by side in fixed slots.
    private readonly ref struct Variables(ReadOnlySpan<char> names, ReadOnlySpan<int> nameLengths, ReadOnlySpan<char> values, ReadOnlySpan<int> valueLengths, int count)
    {
        private readonly ReadOnlySpan<char> _names = names;
        private readonly ReadOnlySpan<int> _nameLengths = nameLengths;
        private readonly ReadOnlySpan<char> _values = values;
        private readonly ReadOnlySpan<int> _valueLengths = valueLengths;

        public ReadOnlySpan<char> Find(ReadOnlySpan<char> name)
        {
            // The last assignment wins, as in the shell.
            for (var v = count - 1; v >= 0; v--)
            {
                if (name.Equals(_names.Slice(v * NameLength, _nameLengths[v]), StringComparison.OrdinalIgnoreCase))
                {
                    return _values.Slice(v * WordBuffer, _valueLengths[v]);
                }
            }

            return [];
        }
    }
}
