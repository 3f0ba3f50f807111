using System.Buffers;
using Palisade.Detection.Findings;

namespace Palisade.Detection.Detectors.Rce;

/// <summary>
/// Reads a value as the argument an application pastes into a shell command line, in each place it may land
/// (unquoted, inside <c>'...'</c>, inside <c>"..."</c>), and looks for a break-out: a separator (<c>; | || &amp;
/// &amp;&amp;</c>, a newline) or a substitution (<c>$(...)</c>, backticks, <c>&lt;(...)</c>) that opens a new
/// command position. The word there is read with quote removal and judged (<see cref="ShellCommands"/>): a known
/// program, used as a program (followed by an option, a path, a number or nothing, never by a plain English word).
/// </summary>
/// <remarks>
/// One pass per context, each character once; reading a command word costs at most
/// <see cref="ShellWordReader.MaxWordChars"/>, so the whole inspection is linear in the value.
/// </remarks>
internal static class ShellInspector
{
    private const int WordBuffer = 64;
    private const int LookBehind = 16;
    private const int ArgumentsRead = 6;

    // A command line is a few words: longer values are text, and reading stops after this many arguments.
    private const int MaxInvocationLength = 160;
    private const int InvocationWords = 8;

    // Every break-out passes one of these: a control operator, a substitution ($( ` <( >( ) or a literal "\n".
    private static readonly SearchValues<char> BreakoutCharacters = SearchValues.Create(";|&\n\r$`\\<>");

    // The characters the break-out scan acts on in each state; it skips everything else in one vectorised step.
    private static readonly SearchValues<char> UnquotedStops = SearchValues.Create(" \t\\'\";|&\n\r$`<>");
    private static readonly SearchValues<char> UnquotedStopsAfterBlank = SearchValues.Create("\\'\";|&\n\r$`<>");
    private static readonly SearchValues<char> DoubleQuotedStops = SearchValues.Create("\"\\$`");

    private enum Quote
    {
        None,
        Single,
        Double,
    }

    /// <summary>Finds a break-out into a command, or a command line that is an attack on its own.</summary>
    public static bool TryFind(ReadOnlySpan<char> value, out DetectorMatch match, bool commandLines = true) =>
        TryJudgeWholeCommand(value, out match, commandLines)
        || (CanBreakOut(value) && TryFindBreakouts(value, out match));

    // A value without any break-out character (prose, dates, e-mail addresses, product names) opens no command
    // position in any quoting context: every path to TryJudgeCommandAt starts at one of them.
    private static bool CanBreakOut(ReadOnlySpan<char> value) => value.ContainsAny(BreakoutCharacters);

    private static bool TryFindBreakouts(ReadOnlySpan<char> value, out DetectorMatch match) =>
        TryFindBreakout(value, Quote.None, out match)
        || (value.Contains('\'') && TryFindBreakout(value, Quote.Single, out match))
        || (value.Contains('"') && TryFindBreakout(value, Quote.Double, out match));

    /// <summary>
    /// The whole value as a command line (an application that runs it, or passes it to <c>sh -c</c>). Plain
    /// commands are content, so only what no documentation writes counts: a program name split by quotes or
    /// globbed, a sensitive file as argument, an interpreter told to run inline code, a PowerShell download cmdlet.
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="match">The finding.</param>
    /// <param name="commandLines">Also judge a plain command line running a known program (not for the content of an uploaded file, a document).</param>
    public static bool TryJudgeWholeCommand(ReadOnlySpan<char> value, out DetectorMatch match, bool commandLines = true)
    {
        match = default;
        var braces = value.Length > 2 && value[0] == '{' && value.Contains(',');
        if ((braces || !IsPlainNonCommand(value, 0)) && TryJudgeCommandLine(value, braces, commandLines, out match))
        {
            return true;
        }

        return value.Length > 3 && value[..Math.Min(value.Length, WordBuffer)].Contains('{') && TryJudgeBraceWord(value, out match);
    }

    // "{l,-lh}s", "c{a,oun}t": a first word whose brace expansion names a program.
    private static bool TryJudgeBraceWord(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        match = default;
        Span<char> text = stackalloc char[WordBuffer];
        var length = BraceExpansion.FirstCommand(value, text, out var end);
        if (length == 0 || ShellCommands.Classify(text[..length]) == ShellCommandKind.Unknown)
        {
            return false;
        }

        match = new DetectorMatch(RceReasons.ObfuscatedCommand, 0, end, 90);
        return true;
    }

    // The rest of TryJudgeWholeCommand, apart so that the common early return above pays for no word buffer.
    private static bool TryJudgeCommandLine(ReadOnlySpan<char> value, bool braces, bool commandLines, out DetectorMatch match)
    {
        match = default;
        Span<char> text = stackalloc char[WordBuffer];
        var word = ShellWordReader.Read(value, braces ? 1 : 0, text, braces);
        if (braces && word.IsEmpty && word.End < value.Length && value[word.End] == ',')
        {
            // {,ip,a}: the first element is empty, the command is the second.
            word = ShellWordReader.Read(value, word.End + 1, text, braces);
        }

        if (!word.Fits)
        {
            return false;
        }

        var name = text[..word.Length];
        var kind = Classify(name, word.Glob);
        if (kind == ShellCommandKind.Unknown)
        {
            if (word.Glob && ShellCommands.IsSensitiveTarget(name, glob: true))
            {
                match = new DetectorMatch(RceReasons.SensitiveFile, word.Start, word.End - word.Start, 85);
                return true;
            }

            return false;
        }

        if (braces)
        {
            match = new DetectorMatch(RceReasons.ObfuscatedCommand, 0, word.End, 90);
            return true;
        }

        if (ShellCommands.IsWrapper(name))
        {
            var wrapped = ShellWordReader.Read(value, word.End, text);
            if (wrapped.Fits && !wrapped.IsEmpty && Classify(text[..wrapped.Length], wrapped.Glob) != ShellCommandKind.Unknown)
            {
                match = new DetectorMatch(RceReasons.WrappedCommand, word.Start, wrapped.End - word.Start, 85);
                return true;
            }
        }

        if (word.Split || word.Glob)
        {
            match = new DetectorMatch(RceReasons.ObfuscatedCommand, word.Start, word.End - word.Start, 90);
            return true;
        }

        if (kind == ShellCommandKind.Cmdlet && ShellWordReader.SkipBlanks(value, word.End) < value.Length)
        {
            match = new DetectorMatch(RceReasons.PowerShell, word.Start, word.End - word.Start, 85);
            return true;
        }

        return TryJudgeArguments(value, word, kind, word.Start, out match) || (commandLines && TryJudgeInvocation(value, word, name, out match));
    }

    /// <summary>
    /// "ansible all -m ping", "env --version", "find /etc -name passwd": a one-line value that is nothing but a
    /// command line running a known program, as a web shell's <c>cmd</c> parameter or a value handed to
    /// <c>sh -c</c> is written. Prose that happens to start with a program's name ("cut the onions", "free
    /// shipping", "docker is great") does not read that way: it needs an option or an absolute path among its
    /// first words, unless the program's name is no word of any text (<c>cscli</c>, <c>ansible-vault</c>), and a
    /// word ending a sentence or a clause makes it prose again.
    /// </summary>
    private static bool TryJudgeInvocation(ReadOnlySpan<char> value, ShellWord command, ReadOnlySpan<char> name, out DetectorMatch match)
    {
        match = default;

        // One line: a raw body or a header may end with the line break that closed it.
        value = value.TrimEnd("\r\n\t ");
        if (value.Length > MaxInvocationLength || value.IndexOfAny('\n', '\r') >= 0)
        {
            return false;
        }

        Span<char> text = stackalloc char[WordBuffer];
        var end = command.End;
        var arguments = 0;
        var programShaped = false;
        var touchesPath = false;
        for (var n = 0; n < InvocationWords; n++)
        {
            var argument = ShellWordReader.Read(value, end, text);
            if (argument.IsEmpty)
            {
                break;
            }

            end = argument.End;
            arguments++;
            if (!argument.Fits)
            {
                continue;
            }

            var word = text[..argument.Length];
            if (EndsClause(word))
            {
                return false;
            }

            // The reader lower-cases the word's text: options are judged as written.
            var path = IsAbsolutePathArgument(word);
            touchesPath |= path;
            programShaped |= path || IsOption(value[argument.Start..argument.End]);
        }

        // The value must end with the words read: a list of commands ("ls -la && echo done") is how documentation
        // shows a session. Only a program alone ("whoami;...") or one sent to a path ("cd /;cd etc;...") may be the
        // first of a list.
        var rest = ShellWordReader.SkipBlanks(value, end);
        if (rest < value.Length && !((arguments == 0 || touchesPath) && IsControlOperator(value[rest])))
        {
            return false;
        }

        // bin/ansible, /usr/sbin/visudo: a program's own path is a command line even without arguments.
        // whoami;..., ifconfig|...: a program that means something alone, chained to the next command.
        var binaryPath = IsBinaryPath(name);
        var chained = arguments == 0 && rest < value.Length && ShellCommands.Classify(name) == ShellCommandKind.Bare;
        if ((arguments == 0 && !binaryPath && !chained) || !(programShaped || binaryPath || ShellCommands.IsDistinctiveProgram(name)))
        {
            return false;
        }

        match = new DetectorMatch(RceReasons.CommandLine, command.Start, end - command.Start, 75);
        return true;
    }

    private static bool IsBinaryPath(ReadOnlySpan<char> name) =>
        name.StartsWith("bin/", StringComparison.Ordinal) || name.StartsWith("sbin/", StringComparison.Ordinal)
        || name.Contains("/bin/", StringComparison.Ordinal) || name.Contains("/sbin/", StringComparison.Ordinal);

    // -m, --list, -exec: an option, not a dash in prose (" - ", "-5", "-1.5").
    // An upper-case word after a dash (-MINI) is a title or a code, not an option.
    private static bool IsOption(ReadOnlySpan<char> word) =>
        word.Length > 1 && word[0] == '-'
        && ((char.IsAsciiLetter(word[1]) && !(word.Length > 2 && char.IsAsciiLetterUpper(word[1]) && char.IsAsciiLetterUpper(word[2])))
            || (word.Length > 2 && word[1] == '-' && char.IsAsciiLetterLower(word[2])));

    // /etc, /var/www/, /, ~/x: a file system path; //host is a URL without its scheme.
    private static bool IsAbsolutePathArgument(ReadOnlySpan<char> word) =>
        (word[0] == '/' && (word.Length == 1 || word[1] != '/')) || (word.Length > 1 && word[0] == '~' && word[1] == '/');

    // "thick.", "well,", "now!", "why?": the last word of a sentence or clause; a lone "." (the current directory) is an argument.
    private static bool EndsClause(ReadOnlySpan<char> word) => word.Length > 1 && word[^1] is '.' or ',' or '!' or '?' or ':';

    private static bool IsControlOperator(char c) => c is ';' or '|' or '&' or '>' or '<' or '#';

    // Reads a few arguments after a command word: a sensitive file, or an inline-code option of an interpreter.
    private static bool TryJudgeArguments(ReadOnlySpan<char> value, ShellWord command, ShellCommandKind kind, int evidenceStart, out DetectorMatch match)
    {
        match = default;
        Span<char> text = stackalloc char[WordBuffer];
        var end = command.End;
        for (var n = 0; n < ArgumentsRead && end < value.Length; n++)
        {
            var argument = ShellWordReader.Read(value, end, text);
            if (argument.IsEmpty)
            {
                // echo "<?php system($_GET[c]); ?>" > cmd.php: a redirection that writes a server-side script.
                if (argument.End < value.Length && value[argument.End] == '>')
                {
                    var target = ShellWordReader.Read(value, argument.End + (argument.End + 1 < value.Length && value[argument.End + 1] == '>' ? 2 : 1), text);
                    if (target.Fits && ShellCommands.IsScriptFile(text[..target.Length]))
                    {
                        match = new DetectorMatch(RceReasons.ScriptWrite, evidenceStart, target.End - evidenceStart, 85);
                        return true;
                    }
                }

                break;
            }

            end = argument.End;
            if (!argument.Fits)
            {
                continue;
            }

            var word = text[..argument.Length];
            if (ShellCommands.IsSensitiveTarget(word, argument.Glob))
            {
                match = new DetectorMatch(RceReasons.SensitiveFile, evidenceStart, argument.End - evidenceStart, 90);
                return true;
            }

            if (kind == ShellCommandKind.Interpreter && n < 4 && ShellCommands.IsInlineCodeOption(word))
            {
                match = new DetectorMatch(RceReasons.InlineCode, evidenceStart, argument.End - evidenceStart, 85);
                return true;
            }
        }

        return false;
    }

    private static bool TryFindBreakout(ReadOnlySpan<char> value, Quote initial, out DetectorMatch match)
    {
        match = default;
        var state = initial;
        var sawBlank = false;
        for (var i = 0; i < value.Length; i++)
        {
            // Jump to the next character this state acts on: on all others the loop body does nothing.
            var skip = state switch
            {
                Quote.Single => value[i..].IndexOf('\''),
                Quote.Double => value[i..].IndexOfAny(DoubleQuotedStops),
                _ => value[i..].IndexOfAny(sawBlank ? UnquotedStopsAfterBlank : UnquotedStops),
            };
            if (skip < 0)
            {
                break;
            }

            i += skip;
            var c = value[i];
            if (state == Quote.Single)
            {
                state = c == '\'' ? Quote.None : state;
                continue;
            }

            if (state == Quote.Double)
            {
                if (c == '"')
                {
                    state = Quote.None;
                }
                else if (c == '\\')
                {
                    i++;
                }
                else if (SubstitutionBody(value, i, inDoubleQuotes: true) is var inner and > 0
                    && TryJudgeCommandAt(value, i, inner, RceReasons.CommandSubstitution, out match))
                {
                    return true;
                }

                continue;
            }

            switch (c)
            {
                case ' ' or '\t':
                    sawBlank = true;
                    continue;
                case '\\' when !sawBlank && i + 1 < value.Length && value[i + 1] is 'n' or 'r':
                    // A literal "\n" where a newline was meant, as payload lists write it.
                    if (TryJudgeCommandAt(value, i, i + 2, RceReasons.CommandAfterSeparator, out match))
                    {
                        return true;
                    }

                    i++;
                    continue;
                case '\\':
                    i++;
                    continue;
                case '\'':
                    state = Quote.Single;
                    continue;
                case '"':
                    state = Quote.Double;
                    continue;
            }

            var body = SeparatorBody(value, i, sawBlank);
            var reason = RceReasons.CommandAfterSeparator;
            if (body < 0)
            {
                body = SubstitutionBody(value, i, inDoubleQuotes: false);
                reason = RceReasons.CommandSubstitution;
            }

            if (body < 0)
            {
                continue;
            }

            if (TryJudgeCommandAt(value, i, body, reason, out match))
            {
                return true;
            }

            i = Math.Max(i, body - 1);
        }

        return false;
    }

    // Where the command after a control operator at `i` starts, or -1. A newline breaks out only of a one-word
    // argument: in multi-line text (posts, code) lines are content, not commands.
    private static int SeparatorBody(ReadOnlySpan<char> value, int i, bool sawBlank)
    {
        var next = i + 1 < value.Length ? value[i + 1] : '\0';
        switch (value[i])
        {
            case ';':
                return i + 1;
            case '|':
                return next == '|' ? i + 2 : i + 1;
            case '&':
                if (next == '&')
                {
                    return i + 2;
                }

                // Redirections: 2>&1, >&2, &>file.
                return next == '>' || (i > 0 && value[i - 1] is '>' or '<') ? -1 : i + 1;
            case '\n' or '\r':
                return sawBlank ? -1 : i + 1;
            default:
                return -1;
        }
    }

    // Where the command inside a substitution opened at `i` starts, or -1: $( ... ), ` ... `, <( ... ), >( ... ).
    private static int SubstitutionBody(ReadOnlySpan<char> value, int i, bool inDoubleQuotes)
    {
        var c = value[i];
        var next = i + 1 < value.Length ? value[i + 1] : '\0';
        if (c == '$' && next == '(' && (i + 2 >= value.Length || value[i + 2] != '('))
        {
            return i + 2;
        }

        if (c == '`' && next != '`' && OpensCommand(value, i))
        {
            return i + 1;
        }

        return !inDoubleQuotes && c is '<' or '>' && next == '(' ? i + 2 : -1;
    }

    // A backtick opens a substitution where a command or an argument begins, not inside prose: Markdown's
    // "run `cargo build` first" has a word before it; "$(`ls`)", ";`id`", "=`id`" do not.
    private static bool OpensCommand(ReadOnlySpan<char> value, int i)
    {
        var stop = Math.Max(0, i - LookBehind);
        for (var j = i - 1; j >= stop; j--)
        {
            var c = value[j];
            if (c is ' ' or '\t')
            {
                continue;
            }

            return c is ';' or '|' or '&' or '(' or '=' or '$' or '\'' or '"' or '{' or '\n' or '\r' or '<' or '>' or ':';
        }

        return stop == 0;
    }

    // Judges the command that starts at `body` after the break-out at `breakAt`.
    private static bool TryJudgeCommandAt(ReadOnlySpan<char> value, int breakAt, int body, string reason, out DetectorMatch match)
    {
        match = default;
        var i = body;
        var braces = false;
        var hidden = false;
        for (var round = 0; round < 8 && i < value.Length; round++)
        {
            i = ShellWordReader.SkipBlanks(value, i);
            if (i >= value.Length)
            {
                break;
            }

            var c = value[i];
            if (c is '(' or '{' or '!' or '@' or '`')
            {
                braces |= c == '{';
                i++;
            }
            else if (c == '$' && i + 1 < value.Length && value[i + 1] == '(')
            {
                i += 2;
            }
            else if (ShellWordReader.LoneUnsetVariableLength(value, i) is var unset and > 0)
            {
                // ";$a cat file": the empty expansion hides the command from a filter that reads the first word.
                hidden = true;
                i += unset;
            }
            else
            {
                break;
            }
        }

        if (!braces && IsPlainNonCommand(value, i))
        {
            return false;
        }

        Span<char> text = stackalloc char[WordBuffer];
        var word = ShellWordReader.Read(value, i, text, braces);
        if (!word.Fits)
        {
            return false;
        }

        var name = text[..word.Length];
        if (ShellCommands.IsEditor(name) && EditorEscapeEnd(value, word.End) is var escapeEnd and > 0)
        {
            match = new DetectorMatch(RceReasons.EditorShellEscape, breakAt, escapeEnd - breakAt, 85);
            return true;
        }

        var kind = Classify(name, word.Glob);
        if (kind == ShellCommandKind.Unknown || !(ArgumentFits(value, word.End, kind, name, braces) || IsWholeValueCommand(value, breakAt, word.End)))
        {
            return false;
        }

        var evidence = word.Split || word.Glob || hidden ? RceReasons.ObfuscatedCommand : reason;
        match = new DetectorMatch(evidence, breakAt, word.End - breakAt, 90);
        return true;
    }

    // vim dddd +silent\ !whoami +wq: an editor argument that runs a known program through the editor's '!'
    // (a blank, '+', ':', quote or backslash before it). The end of that program's name, or -1.
    private static int EditorEscapeEnd(ReadOnlySpan<char> value, int from)
    {
        var limit = Math.Min(value.Length, from + 256);
        var stop = value[from..limit].IndexOfAny(";|&\n\r");
        limit = stop < 0 ? limit : from + stop;
        Span<char> text = stackalloc char[WordBuffer];
        for (var bang = value[from..limit].IndexOf('!'); bang >= 0;)
        {
            var at = from + bang;
            if (value[at - 1] is ' ' or '\t' or '+' or ':' or '\'' or '"' or '\\')
            {
                var program = ShellWordReader.Read(value, at + 1, text);
                if (program.Fits && program.Start == at + 1 && ShellCommands.Classify(text[..program.Length]) != ShellCommandKind.Unknown)
                {
                    return program.End;
                }
            }

            var next = value[(at + 1)..limit].IndexOf('!');
            bang = next < 0 ? -1 : at + 1 - from + next;
        }

        return -1;
    }

    // ";who", "|top": a value that is nothing but a separator and one command word. A word that is also English
    // needs an argument elsewhere; opened by ';' or '|' with nothing before or after it, it is a probe, not prose.
    private static bool IsWholeValueCommand(ReadOnlySpan<char> value, int breakAt, int wordEnd) =>
        value[breakAt] is ';' or '|' && value[..breakAt].Trim(" \t").IsEmpty && ShellWordReader.SkipBlanks(value, wordEnd) >= value.Length;

    // Whether the word at or after `index` is plain (see ShellWordReader.PlainWordLength) and names no command:
    // reading it would give an empty word, one too long for the buffer (more than WordBuffer plain characters
    // overflow it whatever follows), or a name that classifies as Unknown, and every judgement of a command word
    // fails. Checks the value in place, without copying the word.
    private static bool IsPlainNonCommand(ReadOnlySpan<char> value, int index)
    {
        var start = ShellWordReader.SkipBlanks(value, index);
        var length = ShellWordReader.PlainWordLength(value, start, WordBuffer + 1);
        if (length < 0)
        {
            return false;
        }

        // Lookups ignore ASCII case, so the word as written classifies as its lower-cased text would.
        return length == 0 || length > WordBuffer || ShellCommands.Classify(value.Slice(start, length)) == ShellCommandKind.Unknown;
    }

    private static ShellCommandKind Classify(ReadOnlySpan<char> name, bool glob)
    {
        if (glob)
        {
            return ShellCommands.IsGlobbedBinary(name) ? ShellCommandKind.Bare : ShellCommandKind.Unknown;
        }

        return ShellCommands.Classify(name);
    }

    // Whether what follows the command word makes it a command rather than a word of prose: an option, a path,
    // a number, a quote, a redirection or a substitution; the end of the command for programs that mean
    // something alone; plain words only for programs whose arguments are words (netsh firewall, net user).
    private static bool ArgumentFits(ReadOnlySpan<char> value, int end, ShellCommandKind kind, ReadOnlySpan<char> name, bool braces)
    {
        if (kind == ShellCommandKind.Cmdlet)
        {
            return true;
        }

        var isNet = name.Equals("net", StringComparison.Ordinal);
        var j = ShellWordReader.SkipBlanks(value, end);
        var blank = j > end;
        var literalNewline = j + 1 < value.Length && value[j] == '\\' && value[j + 1] is 'n' or 'r';
        if (j >= value.Length || literalNewline || value[j] is ';' or '|' or '&' or '\n' or '\r' or ')' or '`' or '}' or '#')
        {
            return kind != ShellCommandKind.NeedsArgument && !isNet;
        }

        var c = value[j];
        if (braces && c == ',')
        {
            return true;
        }

        if (!blank && c is not ('<' or '>'))
        {
            return false;
        }

        if (c is '<' or '>' or '$' or '\'' or '"' or '/' or '\\' or '~' or '.' or '%' or '*' or '?' or '[' || char.IsAsciiDigit(c))
        {
            return !isNet;
        }

        if (c == '-')
        {
            return j + 1 < value.Length && (char.IsAsciiLetterOrDigit(value[j + 1]) || value[j + 1] == '-');
        }

        // chmod +x, chmod +rwx, set +o history: a mode or option of one to three letters written with a plus
        // ("+more" in prose is a word).
        if (c == '+')
        {
            var letters = j + 1;
            while (letters < value.Length && letters - j <= 3 && char.IsAsciiLetter(value[letters]))
            {
                letters++;
            }

            return letters - j is > 1 and <= 4 && (letters == value.Length || value[letters] is ' ' or '\t' or ';' or '|' or '&' or '\n' or '\r');
        }

        if (!char.IsAsciiLetter(c))
        {
            return false;
        }

        var k = j;
        var plain = true;
        while (k < value.Length && k - j < 64 && value[k] is not (' ' or '\t' or ';' or '|' or '&' or '\n' or '\r' or '<' or '>' or ')'))
        {
            plain &= char.IsAsciiLetter(value[k]);
            k++;
        }

        if (isNet)
        {
            return ShellCommands.IsNetSubcommand(value[j..k]);
        }

        return !plain || kind == ShellCommandKind.TakesWords;
    }
}
