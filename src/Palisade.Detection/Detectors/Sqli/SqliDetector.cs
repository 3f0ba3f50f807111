using System.Buffers;
using Palisade.Detection.Findings;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Detectors.Sqli;

/// <summary>
/// Detects SQL injection by reading each value as the SQL it would become in the application's query, from
/// each place a value can sit: inside a single-quoted string, inside a double-quoted string, inside a
/// backticked MySQL name (a sort column), or unquoted (a number, a name, a clause). A value is an injection when, from that place, it reads as a grammatical
/// continuation of the query that changes what the query does: a tautology or condition after breaking out of
/// the string, UNION SELECT, a stacked statement, a time-delay, file or command function, a comment that
/// truncates the query, the system catalogs. Text that merely contains SQL words does not read that way:
/// <c>O'Brien</c> breaks out of a string into a bare name, "order by price" orders by a column nobody probes,
/// and a posted <c>SELECT * FROM users</c> never leaves the string it was put in.
/// </summary>
/// <remarks>
/// <para>How a value is decided:</para>
/// <list type="number">
/// <item>Pre-filter: a value without whitespace, quotes, parentheses, operator characters, <c>;</c>, <c>#</c>,
/// <c>@</c>, <c>*</c>, <c>{</c> or <c>--</c> holds at most one SQL token (a word, a number, an id, a token); only a lone
/// system catalog, procedure or OLE DB provider name (<c>information_schema</c>, <c>xp_cmdshell</c>,
/// <c>msdasql</c>) is worth a lookup.</item>
/// <item>Readings: for each quote (<c>'</c>, <c>"</c>, <c>`</c>), the first quote that closes the string the
/// application opened (a doubled or backslash-escaped quote does not), and the first backslash-escaped one (for
/// applications that escape quotes but not backslashes); then the value unquoted. A value with '+' and no spaces
/// is read again with '+' as a space (form encoding nobody decoded); a raw body, header or path segment is also
/// read parameter by parameter (<c>name=value&amp;...</c>), as the engine does not split those. A value with
/// typographic quotes (<c>’ ‘ ′ “ ”</c>) is read once more with them made ASCII, as SQL Server's best-fit
/// conversion will.</item>
/// <item>Each reading is parsed by <see cref="SqlParser"/>, which returns its strongest evidence; the strongest of
/// all readings becomes the match, with a fixed reason (<see cref="SqlEvidenceInfo"/>) and the span from the
/// break-out (or the injected construct) to the end of the evidence.</item>
/// <item>A value no reading finds anything in is checked for what is SQL however the rest reads
/// (<see cref="SqlFragments"/>): a SQL function, subquery or CASE left open at its very end, a quoted system name,
/// <c>WAITFOR DELAY '...'</c>, a quote hidden in a MySQL versioned comment (<c>1/*!1111'*/</c>).</item>
/// </list>
/// <para>Every reading is linear in the value's length and allocation-free; the typographic-quote reading copies
/// the value to the stack, or for long values to a pooled buffer.</para>
/// </remarks>
public sealed class SqliDetector : IDetector
{
    // Values up to this length are folded on the stack; longer ones (rare: they must hold a typographic quote)
    // borrow a pooled buffer.
    private const int MaxStackFold = 512;

    public string Id => "sqli.grammar";

    public AttackType AttackType => AttackType.Sqli;

    public bool TryDetect(ReadOnlySpan<char> value, in ValueOrigin origin, out DetectorMatch match)
    {
        match = default;
        if (value.IsEmpty)
        {
            return false;
        }

        // "--" is the one comment opener made of characters the trigger search leaves out (slugs, dates and ids
        // are full of single '-'): .1or-UTC_DATE-- is several tokens and a truncating comment without a space.
        var characters = origin.Characters;
        if (!SqlCharacters.Triggers.ContainsAny(value, characters) && !(characters.Contains(value, '-') && value.Contains("--", StringComparison.Ordinal)))
        {
            return SqlScreen.HasKnownWord(value) && (TryDetectSystemName(value, out match) || TryDetectFragment(value, out match));
        }

        if (!SqlScreen.MayHoldSql(value, characters))
        {
            return false;
        }

        var best = default(SqlFinding);
        var afterBreakOut = false;
        ReadAll(value, origin, ref best, ref afterBreakOut);

        // Typographic quotes (’ ‘ ′ ʼ “ ”) become ASCII quotes when SQL Server stores them in a code-page column or
        // an application normalizes its text: read the value again the way the database will see it.
        if (value.IndexOfAny(SqlCharacters.QuoteLookalikes) >= 0)
        {
            char[]? rented = null;
            var folded = value.Length <= MaxStackFold ? stackalloc char[MaxStackFold] : (rented = ArrayPool<char>.Shared.Rent(value.Length));
            folded = folded[..value.Length];
            SqlCharacters.FoldQuotes(value, folded);
            ReadAll(folded, origin, ref best, ref afterBreakOut);
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }

        if (best.Evidence == SqlEvidence.None)
        {
            return TryDetectQuotedSystemName(value, out match) || TryDetectFragment(value, out match);
        }

        var start = Math.Clamp(best.Start, 0, value.Length);
        var end = Math.Clamp(best.End, start, value.Length);
        match = new DetectorMatch(SqlEvidenceInfo.Reason(best.Evidence, afterBreakOut), start, end - start, best.Score);
        return true;
    }

    /// <summary>The value as it is, with '+' as a space, and parameter by parameter where it may hold a form.</summary>
    private static void ReadAll(ReadOnlySpan<char> value, in ValueOrigin origin, ref SqlFinding best, ref bool afterBreakOut)
    {
        Read(value, 0, plusIsSpace: false, ref best, ref afterBreakOut);

        // Form encoding writes spaces as '+'. A value that has no space but has '+' may be form-encoded text
        // nobody decoded (a raw body, a cookie some frameworks decode later): read it that way too.
        if (value.Contains('+') && !HasInnerWhitespace(value))
        {
            Read(value, 0, plusIsSpace: true, ref best, ref afterBreakOut);
        }

        // A raw body, a header (Referer) or a path segment may hold form parameters the engine did not split.
        if (origin.Source is ValueSource.Body or ValueSource.Header or ValueSource.Path && !origin.IsName && value.Contains('='))
        {
            ReadEmbeddedParameters(value, ref best, ref afterBreakOut);
        }
    }

    /// <summary>Reads <paramref name="text"/> (at <paramref name="offset"/> in the value) in every context and keeps the strongest finding.</summary>
    private static void Read(ReadOnlySpan<char> text, int offset, bool plusIsSpace, ref SqlFinding best, ref bool afterBreakOut)
    {
        foreach (var quote in (ReadOnlySpan<char>)['\'', '"', '`'])
        {
            // Where a database closes the string (or MySQL the `name` a sort column is put in); and where an
            // application that escapes quotes with a backslash but leaves backslashes alone would see it closed
            // (\' becomes \\').
            var breakOut = SqlTokenizer.FindClosingQuote(text, quote);
            var escaped = quote == '`' ? -1 : SqlTokenizer.FindBackslashedQuote(text, quote);
            foreach (var at in (ReadOnlySpan<int>)[breakOut, escaped == breakOut ? -1 : escaped])
            {
                if (at < 0)
                {
                    continue;
                }

                var finding = SqlParser.AnalyzeBreakOut(text, at, quote, plusIsSpace);
                if (finding.Score > best.Score)
                {
                    // Show the evidence from the quote that broke out.
                    best = new SqlFinding(finding.Evidence, offset + Math.Min(at, finding.Start), offset + finding.End);
                    afterBreakOut = true;
                }
            }
        }

        var unquoted = SqlParser.AnalyzeUnquoted(text, plusIsSpace);
        if (unquoted.Score > best.Score)
        {
            best = new SqlFinding(unquoted.Evidence, offset + unquoted.Start, offset + unquoted.End);
            afterBreakOut = false;
        }
    }

    // name=value&name=value: each value, as it is and with form encoding ('+' is a space).
    private static void ReadEmbeddedParameters(ReadOnlySpan<char> value, ref SqlFinding best, ref bool afterBreakOut)
    {
        var position = 0;
        while (position < value.Length)
        {
            var equals = value[position..].IndexOf('=');
            if (equals < 0)
            {
                return;
            }

            var start = position + equals + 1;
            var end = ParameterEnd(value, start);
            if (end > start)
            {
                // Escapes are decoded already ('%2B' is a '+' by now), so read it both ways.
                Read(value[start..end], start, plusIsSpace: false, ref best, ref afterBreakOut);
                Read(value[start..end], start, plusIsSpace: true, ref best, ref afterBreakOut);
            }

            position = end;
        }
    }

    private static bool HasInnerWhitespace(ReadOnlySpan<char> value)
    {
        var first = value.IndexOfAnyExcept(SqlCharacters.Whitespace);
        var last = value.LastIndexOfAnyExcept(SqlCharacters.Whitespace);
        return first >= 0 && value[first..(last + 1)].IndexOfAny(SqlCharacters.Whitespace) >= 0;
    }

    // The '&' that ends a parameter. '&&' is an operator inside it (pay=&&(b=0)), unless a parameter name
    // follows (a=&&b=1: an empty parameter).
    private static int ParameterEnd(ReadOnlySpan<char> value, int start)
    {
        var i = start;
        while (i < value.Length)
        {
            var amp = value[i..].IndexOf('&');
            if (amp < 0)
            {
                return value.Length;
            }

            i += amp;
            if (i + 1 < value.Length && value[i + 1] == '&' && !StartsWithParameterName(value[(i + 2)..]))
            {
                i += 2;
                continue;
            }

            return i;
        }

        return value.Length;
    }

    private static bool StartsWithParameterName(ReadOnlySpan<char> text)
    {
        // Names are short (the engine's plain names are at most 64 characters): looking no further keeps
        // "&&&&..." linear.
        var equals = text[..Math.Min(text.Length, 65)].IndexOf('=');
        return equals > 0 && text[..equals].IndexOfAnyExcept(SqlCharacters.NameCharacters) < 0;
    }

    // A value that ends in a piece of SQL (a function, a subquery or a CASE left open), or holds WAITFOR DELAY, a quote
    // hidden in a versioned comment or a keyword split by a comment.
    private static bool TryDetectFragment(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        match = default;
        if (!SqlFragments.TryFindOpenCall(value, out var finding) && !SqlFragments.TryFindOpenSubquery(value, out finding)
            && !SqlFragments.TryFindWaitfor(value, out finding) && !SqlFragments.TryFindHiddenQuote(value, out finding)
            && !SqlFragments.TryFindSplitKeyword(value, out finding))
        {
            return false;
        }

        match = new DetectorMatch(SqlEvidenceInfo.Reason(finding.Evidence, afterBreakOut: false), finding.Start, finding.End - finding.Start, finding.Score);
        return true;
    }

    // 'msdasql', "sysobjects": a system name quoted as the string literal it is written as in SQL.
    private static bool TryDetectQuotedSystemName(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        match = default;
        var offset = value.IndexOfAnyExcept(SqlCharacters.Whitespace);
        if (offset < 0)
        {
            return false;
        }

        var trimmed = value[offset..(value.LastIndexOfAnyExcept(SqlCharacters.Whitespace) + 1)];
        if (trimmed.Length < 3 || trimmed[0] is not ('\'' or '"') || trimmed[^1] != trimmed[0])
        {
            return false;
        }

        var name = trimmed[1..^1];
        if (SqlCharacters.Triggers.ContainsAny(name) || !TryDetectSystemName(name, out match))
        {
            return false;
        }

        match = match with { Start = match.Start + offset, Length = match.Length + 2 };
        return true;
    }

    // A value that is nothing but the name of a system catalog or command procedure.
    private static bool TryDetectSystemName(ReadOnlySpan<char> value, out DetectorMatch match)
    {
        match = default;
        if (value.Length > SqlSystemObjects.MaxNameLength)
        {
            return false;
        }

        var simple = value;
        var dot = value.IndexOf('.');
        if (dot > 0)
        {
            simple = value[..dot];
        }

        SqlEvidence evidence;
        if (SqlSystemObjects.IsSystemTable(simple)
            || (dot > 0 && (SqlSystemObjects.IsSystemSchema(simple)
                || SqlSystemObjects.IsSystemQualifiedName(simple, value[(value.LastIndexOf('.') + 1)..], value))))
        {
            evidence = SqlEvidence.SystemCatalog;
        }
        else if (SqlSystemObjects.IsRemoteProvider(value))
        {
            // 'MSDASQL', 'SQLOLEDB': what OPENROWSET is given to reach another server.
            evidence = SqlEvidence.OutOfBand;
        }
        else if (SqlFunctions.Classify(value) is var kind && kind is SqlFunctionKind.CommandExecution or SqlFunctionKind.OutOfBand or SqlFunctionKind.FileAccess)
        {
            // xp_cmdshell, utl_http, load_file, openrowset: names only a database attack has a use for.
            evidence = kind switch
            {
                SqlFunctionKind.CommandExecution => SqlEvidence.CommandExecution,
                SqlFunctionKind.OutOfBand => SqlEvidence.OutOfBand,
                _ => SqlEvidence.FileAccess,
            };
        }
        else if (SqlFunctions.IsDelayProcedure(value))
        {
            // pg_sleep, dbms_lock.sleep: a delay function that has no other name.
            evidence = SqlEvidence.TimeDelay;
        }
        else
        {
            return false;
        }

        // Alone, a name is a probe rather than an attack: half the usual confidence.
        match = new DetectorMatch(SqlEvidenceInfo.Reason(evidence, afterBreakOut: false), 0, value.Length, SqlEvidenceInfo.Score(evidence) / 2);
        return true;
    }
}
