using System.Buffers;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Detectors.CodeInjection;

/// <summary>
/// Detects code injection into PHP, Java, Node.js, Python, Ruby and Perl: a value that, read as code, calls a
/// function that runs commands or code with an argument (<c>system('id')</c>, <c>eval($_POST[x])</c>), walks to
/// one (<c>Runtime.getRuntime().exec</c>, <c>process.mainModule.require</c>, <c>__class__.__mro__</c>), opens
/// PHP code or a PHP stream wrapper, carries a serialized object (PHP <c>O:8:"..."</c>, Java <c>rO0AB</c>),
/// resolves to a Log4j JNDI lookup, pollutes a prototype, interpolates Perl code, or loops forever on a constant.
/// </summary>
/// <remarks>
/// A value is read once, identifier by identifier, with what follows each one: a call's argument list, an index,
/// a member walk. Prose that names the same words (<c>the eval() function</c>, <c>operating system</c>,
/// <c>os.path.join</c>) does not call them with an argument or walk to them. A pre-filter skips values without
/// any punctuation code needs, and the Log4j resolver runs only where a lookup opens.
/// </remarks>
public sealed class CodeInjectionDetector : IDetector
{
    private const string TriggerCharacters = "()$<{[`_.:@&\\%|";
    private static readonly SearchValues<char> Triggers = SearchValues.Create(TriggerCharacters);
    private static readonly CharacterMask TriggerMask = CharacterMask.Of(TriggerCharacters);

    // Looked up for many words: fetched once, not per word.
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> ExecutionNames = CodeNames.Execution.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> PhpFunctionNames = CodeNames.PhpFunctions.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> JavaGadgetNames = CodeNames.JavaGadgets.GetAlternateLookup<ReadOnlySpan<char>>();

    // What FindMarker's markers are recognised by (see MayHoldMarker).
    private static readonly SearchValues<char> MarkerAnchors = SearchValues.Create("A0_$\u00AC");
    private static readonly CharacterMask MarkerAnchorMask = CharacterMask.Of("A0_$\u00AC");

    // Every opening FindOpenings looks for holds one of these: <?, [php] and {php} tags, @{, :// and O:/C: objects.
    private static readonly SearchValues<char> OpeningCharacters = SearchValues.Create("<[{:");
    private static readonly CharacterMask OpeningMask = CharacterMask.Of("<[{:");

    // What MayJudgeIdentifiers looks for first: a variable or an index.
    private static readonly SearchValues<char> VariableOrIndex = SearchValues.Create("$[");
    private static readonly CharacterMask VariableOrIndexMask = CharacterMask.Of("$[");

    // What a lookup LookupResolver resolves starts with: '$', or an escape of it.
    private static readonly CharacterMask LookupStartMask = CharacterMask.Of("$&\\");

    // What an identifier starts with (CodeText.IsIdentifierStart).
    private static readonly SearchValues<char> IdentifierStarts =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$");

    // How far before a variable function call an assignment to the variable is looked for.
    private const int AssignmentWindow = 256;

    public string Id => "code_injection.grammar";

    public AttackType AttackType => AttackType.CodeInjection;

    public bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match)
    {
        match = default;
        if (value.IsEmpty)
        {
            return false;
        }

        // The value's characters, when the engine computed them, answer the screens below without a search.
        var characters = origin.Characters;
        var best = characters.ContainsAny(value, MarkerAnchorMask, MarkerAnchors) && MayHoldMarker(value) ? FindMarker(value) : default;
        if (origin.NamesUpload)
        {
            best = best.Max(ScriptUploads.Judge(value));
        }

        var dot = characters.Contains(value, '.');
        if (dot)
        {
            best = best.Max(JavaNames.Judge(value));
        }

        if (value.Length <= 512 && characters.Contains(value, '='))
        {
            best = best.Max(PhpIniDirectives.Judge(value));
        }

        if (characters.ContainsAny(value, TriggerMask, Triggers))
        {
            best = best.Max(JudgeCode(value, origin, characters, dot));
        }

        if (!best.Found)
        {
            return false;
        }

        var start = Math.Clamp(best.Start, 0, value.Length);
        var end = Math.Clamp(best.End, start, value.Length);
        match = new DetectorMatch(best.Reason, start, end - start, best.Score);
        return true;
    }

    // What a value holding code characters is read for: lookups, openings, identifiers, calls, interpolation. Apart
    // from TryDetect, which runs for every value, so that its frame holds none of these findings.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static CodeFinding JudgeCode(ReadOnlySpan<char> value, in ValueOrigin origin, in CharacterMask characters, bool dot)
    {
        var call = characters.Contains(value, '(');
        var openings = characters.ContainsAny(value, OpeningMask, OpeningCharacters) ? FindOpenings(value) : default;
        return (characters.IsKnown && !characters.HasAnyAscii(LookupStartMask) ? default : LookupResolver.Find(value)).Max(openings)
            .Max(MayJudgeIdentifiers(value, characters, call, dot) ? ScanIdentifiers(value, origin) : default)
            .Max(call ? FindLoneCall(value).Max(PhpDynamicCalls.Find(value)).Max(dot ? PhpAssembledNames.Find(value) : default)
                .Max(characters.Contains(value, '\\') ? EscapedIdentifiers.Find(value) : default)
                .Max(characters.Contains(value, '*') && value.Contains("*/", StringComparison.Ordinal) ? CommentedCalls.Find(value) : default) : default)
            .Max(characters.Contains(value, '$') ? FindInterpolatedCall(value).Max(FlightReferences.Find(value)).Max(PhpVariableVariables.Find(value)) : default);
    }

    // A pre-filter for ScanIdentifiers. Every judgement of Judge and JudgeChain needs one of these: a '$' word, an
    // index ('['), a call of a name Judge knows (HasNamedCall), a member (a '.' with an identifier after it), a '__'
    // (dunders, ORM lookups), child_process, or ProcessBuilder (followed by '.'). Words, dates, ids and prose with
    // a full stop or a parenthesis have none, and skip the word-by-word scan.
    private static bool MayJudgeIdentifiers(ReadOnlySpan<char> value, in CharacterMask characters, bool call, bool dot)
    {
        if (characters.ContainsAny(value, VariableOrIndexMask, VariableOrIndex) || (call && HasNamedCall(value)))
        {
            return true;
        }

        if (characters.Contains(value, '_') && (value.Contains("__", StringComparison.Ordinal) || value.Contains("child_process", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return dot && (HasMemberDot(value) || value.Contains("ProcessBuilder", StringComparison.Ordinal));
    }

    // A '(' after a name Judge calls by (spaces between allowed, as SkipSpaces allows them): an execution function,
    // while, Function or ProcessBuilder. A parenthesis after any other word ("keyboard (Nordic layout)") is judged
    // by nothing; a member or a '$' word before it is seen by the other checks of MayJudgeIdentifiers.
    private static bool HasNamedCall(ReadOnlySpan<char> value)
    {
        var open = value.IndexOf('(');
        while (open >= 0)
        {
            var end = open;
            while (end > 0 && char.IsWhiteSpace(value[end - 1]))
            {
                end--;
            }

            var start = end;
            while (start > 0 && CodeText.IsIdentifierChar(value[start - 1]))
            {
                start--;
            }

            var name = value[start..end];
            if (ExecutionNames.Contains(name) || name.SequenceEqual("while") || name.SequenceEqual("Function") || name.SequenceEqual("ProcessBuilder"))
            {
                return true;
            }

            var next = value[(open + 1)..].IndexOf('(');
            open = next < 0 ? -1 : open + 1 + next;
        }

        return false;
    }

    // A '.' an identifier follows: where a member walk (a.b) can be.
    private static bool HasMemberDot(ReadOnlySpan<char> value)
    {
        var dot = value.IndexOf('.');
        while (dot >= 0 && dot + 1 < value.Length)
        {
            if (CodeText.IsIdentifierStart(value[dot + 1]))
            {
                return true;
            }

            var next = value[(dot + 1)..].IndexOf('.');
            dot = next < 0 ? -1 : dot + 1 + next;
        }

        return false;
    }

    // A pre-filter for FindMarker: each of its markers holds one of these anchors, so a value without any holds none.
    // rO0AB, KztAAU, Cs7QAF (AC ED 00 05 in base64 at its three alignments) hold "AB", "AA" or "AF"; aced0005 in
    // any case holds "0005"; the raw stream starts with U+00AC; _$$ND_FUNC$$_ holds '$'; __js_function holds "__".
    private static bool MayHoldMarker(ReadOnlySpan<char> value)
    {
        var i = value.IndexOfAny(MarkerAnchors);
        while (i >= 0)
        {
            var rest = value[i..];
            var found = rest[0] switch
            {
                'A' => rest.Length > 1 && rest[1] is 'A' or 'B' or 'F',
                '0' => rest.StartsWith("0005", StringComparison.Ordinal),
                '_' => rest.Length > 1 && rest[1] == '_',
                _ => true,
            };
            if (found)
            {
                return true;
            }

            var next = value[(i + 1)..].IndexOfAny(MarkerAnchors);
            i = next < 0 ? -1 : i + 1 + next;
        }

        return false;
    }

    // Serialized Java objects (base64 at each alignment, or hex) and node-serialize function markers.
    private static CodeFinding FindMarker(ReadOnlySpan<char> value)
    {
        foreach (var marker in (ReadOnlySpan<string>)["rO0AB", "KztAAU", "Cs7QAF", "aced0005"])
        {
            var at = value.IndexOf(marker, marker[0] == 'a' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
            if (at >= 0 && (at == 0 || !char.IsAsciiLetterOrDigit(value[at - 1]) || value[at - 1] is '+' or '/'))
            {
                return new CodeFinding("serialized Java object", at, at + marker.Length, 80);
            }
        }

        var raw = value.IndexOf("\u00AC\u00ED\u0000\u0005", StringComparison.Ordinal);
        if (raw >= 0)
        {
            return new CodeFinding("serialized Java object", raw, raw + 4, 80);
        }

        foreach (var marker in (ReadOnlySpan<string>)["_$$ND_FUNC$$_", "__js_function"])
        {
            var at = value.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                return new CodeFinding("serialized JavaScript function", at, at + marker.Length, 85);
            }
        }

        return default;
    }

    // <?php, <?=, Perl's @{[ ... ]}, PHP stream wrappers and serialized PHP objects.
    private static CodeFinding FindOpenings(ReadOnlySpan<char> value)
    {
        var best = default(CodeFinding);
        var open = value.IndexOf("<?", StringComparison.Ordinal);
        if (open >= 0 && IsPhpOpening(value, open + 2))
        {
            best = best.Max(new CodeFinding("PHP code block", open, Math.Min(value.Length, open + 5), 85));
        }

        // Every tag opens with '[' or '{': one scan spares five case-insensitive searches.
        if (value.IndexOfAny('[', '{') >= 0)
        {
            foreach (var tag in (ReadOnlySpan<string>)["[php]", "{php}", "[/php]", "{/php}", "[\\php]"])
            {
                var at = value.IndexOf(tag, StringComparison.OrdinalIgnoreCase);
                if (at >= 0)
                {
                    best = best.Max(new CodeFinding("PHP code block", at, at + tag.Length, 80));
                }
            }
        }

        var perl = value.IndexOf("@{", StringComparison.Ordinal);
        if (perl >= 0 && CodeText.SkipSpaces(value, perl + 2) is var bracket && bracket < value.Length && value[bracket] == '[')
        {
            best = best.Max(new CodeFinding("Perl code interpolation", perl, bracket + 1, 85));
        }

        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        while (scheme > 0)
        {
            var nameStart = scheme;
            while (nameStart > 0 && (char.IsAsciiLetterOrDigit(value[nameStart - 1]) || value[nameStart - 1] == '.'))
            {
                nameStart--;
            }

            var wrapper = value[nameStart..scheme];
            if (wrapper.Equals("php", StringComparison.OrdinalIgnoreCase) || wrapper.Equals("expect", StringComparison.OrdinalIgnoreCase)
                || wrapper.Equals("phar", StringComparison.OrdinalIgnoreCase) || wrapper.Equals("data", StringComparison.OrdinalIgnoreCase)
                || wrapper.Equals("zlib", StringComparison.OrdinalIgnoreCase) || wrapper.Equals("compress.zlib", StringComparison.OrdinalIgnoreCase)
                || wrapper.Equals("glob", StringComparison.OrdinalIgnoreCase))
            {
                best = best.Max(new CodeFinding("PHP stream wrapper", nameStart, scheme + 3, 75));
                break;
            }

            var next = value[(scheme + 3)..].IndexOf("://", StringComparison.Ordinal);
            scheme = next < 0 ? -1 : scheme + 3 + next;
        }

        return best.Max(FindSerializedPhp(value));
    }

    // A value that is nothing but a call, "exec /*x*/ (blah)", "base64_decode()": a function name, comments or spaces,
    // and an argument list that runs to the end of the value.
    private static CodeFinding FindLoneCall(ReadOnlySpan<char> value)
    {
        var call = FindCallAlone(value);
        if (call.Found)
        {
            return call;
        }

        // ";phpinfo()", "|| phpinfo()", ":phpversion();": the same call after the separator that ends the
        // application's statement or command.
        var separated = value.TrimStart(" \t");
        var separator = separated.Length - separated.TrimStart(";|&:").Length;
        return separator is > 0 and <= 2 ? FindCallAlone(separated[separator..]) with { Start = 0, End = value.Length } : default;
    }

    // PHP's complex interpolation evaluates a call: "{${sleep(20)}}", "${@print(md5(x))}".
    private static CodeFinding FindInterpolatedCall(ReadOnlySpan<char> value)
    {
        var at = value.IndexOf("${", StringComparison.Ordinal);
        while (at >= 0)
        {
            var braced = at > 0 && value[at - 1] == '{';
            var i = at + 2;
            var silenced = i < value.Length && value[i] == '@';
            i += silenced ? 1 : 0;
            if ((braced || silenced) && i < value.Length && CodeText.IsIdentifierStart(value[i]) && value[i] != '$')
            {
                var end = CodeText.IdentifierEnd(value, i);
                var close = end < value.Length && value[end] == '(' ? ClosingParenthesis(value, end) : -1;
                if (close > 0 && close + 1 < value.Length && value[close + 1] == '}')
                {
                    return new CodeFinding("PHP call inside string interpolation", braced ? at - 1 : at, close + 2, 80);
                }
            }

            var next = value[(at + 2)..].IndexOf("${", StringComparison.Ordinal);
            at = next < 0 ? -1 : at + 2 + next;
        }

        return default;
    }

    // The ')' that closes the '(' at open, within 256 characters, or -1.
    private static int ClosingParenthesis(ReadOnlySpan<char> value, int open) => CodeText.ClosingBracket(value, open, '(', ')', 256);

    private static CodeFinding FindCallAlone(ReadOnlySpan<char> value)
    {
        var trimmed = value.Trim();
        if (trimmed.Length < 3 || !CodeText.IsIdentifierStart(trimmed[0]) || trimmed[0] == '$')
        {
            return default;
        }

        var nameEnd = CodeText.IdentifierEnd(trimmed, 0);
        var i = SkipSpacesAndComments(trimmed, nameEnd);
        if (i >= trimmed.Length || trimmed[i] != '(' || trimmed[..nameEnd].IndexOfAnyInRange('a', 'z') < 0)
        {
            return default;
        }

        var close = trimmed.LastIndexOf(')');
        var tail = close < 0 ? [] : trimmed[(close + 1)..];
        if ((close >= 0 && !IsStatementEnd(tail)) || trimmed[i..].Count('(') > 1 + trimmed[i..].Count(')') || trimmed[(i + 1)..].IndexOfAny(" .,!?") is var gap && gap >= 0 && close < 0)
        {
            return default;
        }

        // One PHP-looking name: lower case with underscores or a known function; not "Note (see above)". A PHP
        // function payloads use is known in any case that starts lower ("subSTR($x)", "gethostbynamE("); PHP
        // ignores case in function names), but a capitalised label ("Chr (2)") stays a label.
        var name = trimmed[..nameEnd];
        var php = char.IsAsciiLetterLower(name[0]) && PhpFunctionNames.Contains(name);
        var known = php || ExecutionNames.Contains(name) || name.Contains('_') || nameEnd < i || close < 0
            || trimmed[(i + 1)..close].Trim().IsEmpty;
        return known && (php || name.Contains('_') || name.IndexOfAnyInRange('A', 'Z') < 0)
            ? new CodeFinding("function call as the whole value", (int)(value.Length - value.TrimStart().Length), value.Length, 55)
            : default;
    }

    // What may follow the call that closes a value: nothing, ';', and a comment that hides the rest of the
    // application's line (";phpinfo();//", "system('id');#").
    private static bool IsStatementEnd(ReadOnlySpan<char> tail)
    {
        tail = tail.TrimStart(' ');
        if (!tail.IsEmpty && tail[0] == ';')
        {
            tail = tail[1..].TrimStart(' ');
        }

        return tail.IsEmpty || tail.StartsWith("//", StringComparison.Ordinal) || tail.StartsWith("/*", StringComparison.Ordinal) || tail[0] == '#';
    }

    private static int SkipSpacesAndComments(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            else if (CodeText.At(text, i, "/*"))
            {
                var end = text[(i + 2)..].IndexOf("*/");
                i = end < 0 ? text.Length : i + 4 + end;
            }
            else if (text[i] == '#' || CodeText.At(text, i, "//"))
            {
                var end = text[i..].IndexOf('\n');
                i = end < 0 ? text.Length : i + end + 1;
            }
            else
            {
                break;
            }
        }

        return i;
    }

    // After "<?": php, '=', whitespace or the end open PHP code; "<?xml version=..." is an XML declaration, but
    // "<?xml :echo 1;" is PHP with short tags.
    private static bool IsPhpOpening(ReadOnlySpan<char> value, int after)
    {
        if (after >= value.Length || char.IsWhiteSpace(value[after]) || value[after] == '=' || CodeText.At(value, after, "php"))
        {
            return true;
        }

        if (!CodeText.At(value, after, "xml"))
        {
            return false;
        }

        var next = CodeText.SkipSpaces(value, after + 3);
        if (next >= value.Length)
        {
            return false;
        }

        if (!CodeText.IsIdentifierStart(value[next]))
        {
            return value[next] is ':' or '(' or ';';
        }

        var end = CodeText.IdentifierEnd(value, next);
        return end < value.Length && value[end] is not ('=' or ' ' or '?') && value[end] != '-';
    }

    // O:8:"stdClass":1:{...}, C:11:"ArrayObject":...: objects in PHP's serialize() format (arrays are common in cookies).
    private static CodeFinding FindSerializedPhp(ReadOnlySpan<char> value)
    {
        var colon = value.IndexOf(':');
        while (colon > 0)
        {
            var kind = value[colon - 1];
            if (kind is 'O' or 'C' && (colon == 1 || !char.IsAsciiLetterOrDigit(value[colon - 2])))
            {
                var digits = value[(colon + 1)..].IndexOfAnyExceptInRange('0', '9');
                if (digits > 0 && colon + 1 + digits + 1 < value.Length && value[colon + 1 + digits] == ':')
                {
                    var next = value[colon + 1 + digits + 1];
                    if (next == '"')
                    {
                        return new CodeFinding("serialized PHP object", colon - 1, colon + digits + 3, 80);
                    }
                }
            }

            var following = value[(colon + 1)..].IndexOf(':');
            colon = following < 0 ? -1 : colon + 1 + following;
        }

        return default;
    }

    // Identifier by identifier: calls, indexes and walks.
    private static CodeFinding ScanIdentifiers(ReadOnlySpan<char> value, in ValueOrigin origin)
    {
        var best = default(CodeFinding);
        var i = 0;
        var previousEnd = -1;
        var previousStart = -1;
        var chainStart = 0;
        while (i < value.Length)
        {
            // Jump to the next letter, '_' or '$'. One glued to a run led by a digit (the "abc" of "2024abc")
            // starts no word, and neither does the rest of that run: skip it whole.
            var skip = value[i..].IndexOfAny(IdentifierStarts);
            if (skip < 0)
            {
                break;
            }

            i += skip;
            if (!CodeText.StartsWord(value, i))
            {
                i = CodeText.IdentifierEnd(value, i);
                continue;
            }

            var start = i;
            var end = CodeText.IdentifierEnd(value, start);
            var word = value[start..end];
            var member = start > 0 && value[start - 1] == '.' && previousEnd == start - 1;
            var previous = member && previousStart >= 0 ? value[previousStart..previousEnd] : [];
            chainStart = member ? chainStart : start;
            if (member || !IsInert(value, word, start, end))
            {
                best = best.Max(Judge(value, word, start, end, previous, origin)).Max(JudgeChain(value, chainStart, start, end));
            }

            previousStart = start;
            previousEnd = end;
            i = end;
        }

        return best;
    }

    // A word that is no member of a walk and holds nothing any judgement of Judge or JudgeChain needs: no '$' first,
    // no '_' (dunders, child_process, ORM lookups), no '(' or '[' after it, no '.' after it unless it is ProcessBuilder,
    // no '[' before it (constructor][prototype). Both would find nothing in it; prose, dates, product names and the
    // first label of a host name are made of such words.
    private static bool IsInert(ReadOnlySpan<char> value, ReadOnlySpan<char> word, int start, int end)
    {
        var next = CodeText.SkipSpaces(value, end);
        var nextChar = next < value.Length ? value[next] : '\0';
        return word[0] != '$' && !word.Contains('_') && nextChar is not ('(' or '[')
            && (nextChar != '.' || !word.Equals("ProcessBuilder", StringComparison.Ordinal))
            && (start == 0 || value[start - 1] != '[');
    }

    // $name('literal'...), not after '@', with no assignment to $name in the 256 characters before the call (a payload assigns the
    // function's name right before calling it; the window keeps a value full of such calls linear).
    private static bool IsHelperCallOnLiteral(ReadOnlySpan<char> value, ReadOnlySpan<char> variable, int start, int open)
    {
        // @$f("x"): PHP's error-suppression operator, which JavaScript does not have.
        var argument = CodeText.SkipSpaces(value, open + 1);
        if (argument >= value.Length || value[argument] is not ('\'' or '"' or '`') || (start > 0 && value[start - 1] == '@'))
        {
            return false;
        }

        var windowStart = Math.Max(0, start - AssignmentWindow);
        var before = value[windowStart..start];
        for (var at = before.IndexOf(variable); at >= 0;)
        {
            var after = CodeText.SkipSpaces(value, windowStart + at + variable.Length);
            if (after < value.Length && value[after] == '=' && (after + 1 >= value.Length || value[after + 1] != '='))
            {
                return false;
            }

            var next = before[(at + 1)..].IndexOf(variable);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return true;
    }

    private static CodeFinding Judge(ReadOnlySpan<char> value, ReadOnlySpan<char> word, int start, int end, ReadOnlySpan<char> previous, in ValueOrigin origin)
    {
        var next = CodeText.SkipSpaces(value, end);
        var nextChar = next < value.Length ? value[next] : '\0';

        if (word[0] == '$')
        {
            if (nextChar == '[' && CodeNames.Superglobals.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word))
            {
                return new CodeFinding("PHP superglobal in code", start, next + 1, 80);
            }

            // A parameter named $_COOKIE, $_SERVER...: PHP code where a field name goes, aimed at code that imports the
            // request into variables (extract, parse_str, register_globals) to overwrite a superglobal.
            if (origin.IsName && value.Trim().Length == word.Length && CodeNames.Superglobals.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word))
            {
                return new CodeFinding("PHP superglobal as a parameter name", start, end, 70);
            }

            // $f(...), $function (23): PHP calls whatever function name the variable holds. With a string literal as
            // its argument and no assignment to the variable in the value, it is the shape of JavaScript framework
            // helpers ({{ $t('message') }}, $emit('close')); a PHP payload names its function in the value.
            if (word.Length > 1 && (char.IsAsciiLetter(word[1]) || word[1] == '_') && nextChar == '(' && (start == 0 || value[start - 1] is ' ' or '=' or ';' or '{' or '(' or ',' or ':' or '@' or '>' or '"' or '\'')
                && !IsHelperCallOnLiteral(value, word, start, next))
            {
                return new CodeFinding("PHP variable function call", start, next + 1, 70);
            }

            return default;
        }

        // A call needs '(' next (OpensCallWithArgument checks it too): most words stop here, before the set lookups.
        if (nextChar == '(' && ExecutionNames.Contains(word) && CodeText.OpensCallWithArgument(value, end, out var argument)
            && (argument >= value.Length || IsStrongArgument(value, argument)
                || (next == end && !CodeNames.WeakExecution.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word) && !(start >= 2 && value[start - 1] == ':' && value[start - 2] == ':'))))
        {
            // A call with an argument: system('id'), eval($_POST[x]), os.popen("id"), exec(compile(...)).
            return new CodeFinding("code execution function call", start, Math.Min(value.Length, argument + 1), 85);
        }

        // get_defined_functions()['internal'][N], get_defined_vars()[0]: PHP's function and variable tables fetched by
        // index, how a payload reaches a function it does not name.
        if (nextChar == '(' && (word.Equals("get_defined_functions", StringComparison.OrdinalIgnoreCase) || word.Equals("get_defined_vars", StringComparison.OrdinalIgnoreCase))
            && ClosingParenthesis(value, next) is var tableClose && tableClose > 0
            && CodeText.SkipSpaces(value, tableClose + 1) is var index && index < value.Length && value[index] == '[')
        {
            return new CodeFinding("PHP function or variable table indexed", start, index + 1, 75);
        }

        if (word.Length >= 5 && word.StartsWith("__") && word.EndsWith("__"))
        {
            if (word.Equals("__proto__", StringComparison.OrdinalIgnoreCase))
            {
                return nextChar is '[' or '.' or '"' or '\'' or '=' or ':' || origin.IsName || value.Trim().Length == word.Length
                    ? new CodeFinding("prototype pollution key", start, end, 80)
                    : default;
            }

            if (CodeNames.ObjectWalks.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word) && (previous.Length > 0 || (next == end && nextChar is '[' or '(' or '.' && !CodeText.At(value, next, ".py"))))
            {
                return new CodeFinding("object graph walk to interpreter internals", start, end, 85);
            }
        }

        if (word.Equals("prototype", StringComparison.OrdinalIgnoreCase) && start > 0 && (previous.Equals("constructor", StringComparison.OrdinalIgnoreCase)
            || (value[start - 1] == '[' && (value[..(start - 1)].EndsWith("constructor]", StringComparison.OrdinalIgnoreCase)
                || value[..(start - 1)].EndsWith("constructor", StringComparison.OrdinalIgnoreCase)))))
        {
            return new CodeFinding("prototype pollution key", Math.Max(0, start - 12), end, 80);
        }

        if (previous.Length > 0)
        {
            return JudgeMember(value, previous, word, start, end, nextChar);
        }

        if (word.Equals("child_process", StringComparison.OrdinalIgnoreCase)
            && CodeNames.DangerousObjects.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word))
        {
            return new CodeFinding("process module reference", start, end, 85);
        }

        if (word.Equals("while", StringComparison.Ordinal) && nextChar == '(' && IsConstantCondition(value, next + 1))
        {
            return new CodeFinding("endless loop on a constant", start, next + 1, 70);
        }

        if ((word.Equals("process", StringComparison.Ordinal) || word.Equals("require", StringComparison.Ordinal)) && nextChar == '[' && next == end)
        {
            return new CodeFinding("Node.js process internals", start, next + 1, 70);
        }

        if (word.Equals("Function", StringComparison.Ordinal) && nextChar == '(' && start >= 4 && value[..start].TrimEnd().EndsWith("new", StringComparison.Ordinal))
        {
            return new CodeFinding("Function constructor walk", start, next + 1, 70);
        }

        if (word.Equals("ProcessBuilder", StringComparison.Ordinal) && nextChar is '(' or '.')
        {
            return new CodeFinding("Java process creation", start, end, 85);
        }

        return JudgeOrmLookup(word, start, end, origin);
    }

    // java.evil.runtime, runtime.invokertransformer: a dotted name through java and a process class, or a gadget class.
    private static CodeFinding JudgeChain(ReadOnlySpan<char> value, int chainStart, int start, int end)
    {
        var word = value[start..end];
        if (chainStart == start)
        {
            return default;
        }

        if (JavaGadgetNames.Contains(word))
        {
            return new CodeFinding("Java deserialization gadget class", chainStart, end, 80);
        }

        var first = value[chainStart..CodeText.IdentifierEnd(value, chainStart)];
        return (first.Equals("java", StringComparison.OrdinalIgnoreCase) || first.Equals("javax", StringComparison.OrdinalIgnoreCase))
            && (word.Equals("runtime", StringComparison.OrdinalIgnoreCase) || word.Equals("processbuilder", StringComparison.OrdinalIgnoreCase))
            ? new CodeFinding("Java class walk", chainStart, end, 75)
            : default;
    }

    // 'id', "id", $cmd, `id`, @x, [..] or a nested call: what an attacker passes; "(and thus" in prose is not.
    private static bool IsStrongArgument(ReadOnlySpan<char> value, int argument)
    {
        if (value[argument] is '\'' or '"' or '`' or '$' or '@' or '[')
        {
            return true;
        }

        if (!CodeText.IsIdentifierStart(value[argument]))
        {
            return false;
        }

        var end = CodeText.IdentifierEnd(value, argument);
        return end < value.Length && value[end] is '(' or '.' && ExecutionNames.Contains(value[argument..end]);
    }

    // a.b where a is the previous identifier: walks to a process, a class loader or the interpreter.
    private static CodeFinding JudgeMember(ReadOnlySpan<char> value, ReadOnlySpan<char> previous, ReadOnlySpan<char> word, int start, int end, char nextChar)
    {
        var from = start - previous.Length - 1;
        if (previous.Equals("java", StringComparison.OrdinalIgnoreCase) || previous.Equals("javax", StringComparison.OrdinalIgnoreCase))
        {
            if (CodeNames.JavaPackages.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word) && nextChar == '.')
            {
                return new CodeFinding("Java class walk", from, end, 75);
            }

            if (word.Equals("Runtime", StringComparison.OrdinalIgnoreCase) || word.Equals("ProcessBuilder", StringComparison.OrdinalIgnoreCase))
            {
                return new CodeFinding("Java class walk", from, end, 75);
            }
        }

        if ((previous.Equals("Runtime", StringComparison.Ordinal) && word.Equals("getRuntime", StringComparison.Ordinal))
            || (previous.Equals("Class", StringComparison.Ordinal) && word.Equals("forName", StringComparison.Ordinal)))
        {
            return new CodeFinding("Java reflection to process execution", from, end, 85);
        }

        if (previous.Equals("process", StringComparison.Ordinal) && (word.Equals("mainModule", StringComparison.Ordinal) || word.Equals("binding", StringComparison.Ordinal)))
        {
            return new CodeFinding("Node.js process internals", from, end, 85);
        }

        if (previous.Equals("constructor", StringComparison.Ordinal) && word.Equals("constructor", StringComparison.Ordinal))
        {
            return new CodeFinding("Function constructor walk", from, end, 85);
        }

        if (previous.Equals("module", StringComparison.Ordinal) && word.Equals("exports", StringComparison.Ordinal) && nextChar == '=')
        {
            return new CodeFinding("Node.js module export assignment", from, end, 60);
        }

        if (previous.Equals("require", StringComparison.Ordinal) && word.Equals("main", StringComparison.Ordinal))
        {
            return new CodeFinding("Node.js process internals", from, end, 80);
        }

        if ((previous.Equals("Process", StringComparison.Ordinal) && word.Equals("spawn", StringComparison.Ordinal))
            || (previous.Equals("Kernel", StringComparison.Ordinal) && (word.Equals("exec", StringComparison.Ordinal) || word.Equals("system", StringComparison.Ordinal) || word.Equals("spawn", StringComparison.Ordinal)))
            || (previous.Equals("IO", StringComparison.Ordinal) && word.Equals("popen", StringComparison.Ordinal))
            || (previous.Equals("os", StringComparison.Ordinal) && (word.Equals("system", StringComparison.Ordinal) || word.Equals("popen", StringComparison.Ordinal)))
            || (previous.Equals("subprocess", StringComparison.Ordinal) && nextChar == '('))
        {
            return new CodeFinding("process execution call", from, end, 85);
        }

        return default;
    }

    // balance__gte, user__profile__city__startswith: a Django lookup in a parameter name or JSON key.
    private static CodeFinding JudgeOrmLookup(ReadOnlySpan<char> word, int start, int end, in ValueOrigin origin)
    {
        if (!origin.IsName && origin.Source != ValueSource.Body && origin.Source != ValueSource.Json)
        {
            return default;
        }

        var separator = word.LastIndexOf("__");
        if (separator <= 0 || word[0] == '_' || separator + 2 >= word.Length || word[(separator - 1)] == '_')
        {
            return default;
        }

        return CodeNames.OrmLookups.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word[(separator + 2)..])
            ? new CodeFinding("ORM lookup operator in a name", start, end, 60)
            : default;
    }

    // while(true), while(!NaN), while(1), while(!!{}), while(new Date): a condition made of literals alone.
    private static bool IsConstantCondition(ReadOnlySpan<char> value, int start)
    {
        // Constant conditions are short: looking no further keeps "while(while(..." linear.
        var window = value[start..Math.Min(value.Length, start + 32)];
        var close = window.IndexOf(')');
        var condition = close < 0 ? window : window[..close];
        condition = condition.Trim("(! +-");
        if (condition.IsEmpty)
        {
            return true;
        }

        foreach (var literal in (ReadOnlySpan<string>)["true", "false", "1", "NaN", "Infinity", "undefined", "null", "{}", "[]", "``", "''", "\"\"", "new Date", "String", "Object", "0", "this"])
        {
            if (condition.Equals(literal, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
