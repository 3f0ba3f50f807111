namespace Palisade.Detection.Detectors.Sqli;

/// <summary>
/// What is SQL in a value however the rest of it reads, for values no reading of the grammar accepts: a SQL
/// function's name left open at the very end (<c>CHAR(</c>, <c>version=(</c>, <c>md5\(</c>), a subquery or CASE
/// just opened (<c>(SELECT</c>, <c>SELECT (CASE</c>), SQL Server's <c>WAITFOR DELAY '...'</c>, a quote hidden in a
/// MySQL versioned comment (<c>1/*!1111'*/</c>). Text does not end
/// with an opening parenthesis, nor with one and a SQL keyword, and nothing but SQL writes WAITFOR DELAY. The end
/// checks look at a bounded number of characters; the WAITFOR search is one vectorised search and, only when it
/// finds the word, one pass of the tokenizer. (SQL's operators alone, <c>||</c> or <c>&lt;=&gt;</c>, are not
/// fragments: real traffic sends <c>||</c> as an empty pair.)
/// </summary>
internal static class SqlFragments
{
    // Between a function name and its parenthesis: spaces, or the odd punctuation a probe slips in (md5\(, year]=().
    private const int MaxGap = 8;

    private const int MaxNameLength = 48;

    // TRUNCATE, SHUTDOWN: the longest keyword a comment is put inside to split it.
    private const int MaxSplitKeywordLength = 8;

    /// <summary>
    /// A value that ends with a SQL function's name and an opening parenthesis, possibly with a few
    /// characters of punctuation between them: the rest of the call was left for the query to supply. The name
    /// is a whole word, not a method (<c>obj.date(</c>); the evidence covers the name and the parenthesis.
    /// </summary>
    public static bool TryFindOpenCall(ReadOnlySpan<char> value, out SqlFinding finding)
    {
        finding = default;
        var end = value.LastIndexOfAnyExcept(SqlCharacters.Whitespace);
        if (end < 1 || value[end] != '(')
        {
            return false;
        }

        var nameEnd = end;
        var limit = Math.Max(0, end - MaxGap);
        while (nameEnd > limit && !IsNameCharacter(value[nameEnd - 1]))
        {
            nameEnd--;
        }

        var nameStart = nameEnd;
        while (nameStart > 0 && nameEnd - nameStart <= MaxNameLength && IsNameCharacter(value[nameStart - 1]))
        {
            nameStart--;
        }

        if (nameStart == nameEnd || nameEnd - nameStart > MaxNameLength || char.IsAsciiDigit(value[nameStart])
            || (nameStart > 0 && value[nameStart - 1] is '.' or '$' or '@' or '-'))
        {
            return false;
        }

        var name = value[nameStart..nameEnd];
        if (SqlFunctions.Classify(name) == SqlFunctionKind.Unknown && !name.Equals("if", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        finding = new SqlFinding(SqlEvidence.FunctionFragment, nameStart, end + 1);
        return true;
    }

    /// <summary>
    /// A value that ends by opening a subquery or a CASE inside a parenthesis: <c>(SELECT</c>, <c>SELECT (CASE</c>,
    /// <c>@x:=( SELECT</c>. The rest of the expression was left for the query to supply.
    /// </summary>
    public static bool TryFindOpenSubquery(ReadOnlySpan<char> value, out SqlFinding finding)
    {
        finding = default;
        var end = value.LastIndexOfAnyExcept(SqlCharacters.Whitespace) + 1;
        var wordStart = end;
        while (wordStart > 0 && end - wordStart < 6 && char.IsAsciiLetter(value[wordStart - 1]))
        {
            wordStart--;
        }

        var word = value[wordStart..end];
        if (!word.Equals("select", StringComparison.OrdinalIgnoreCase) && !word.Equals("case", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var open = value[..wordStart].LastIndexOfAnyExcept(SqlCharacters.Whitespace);
        if (open < 0 || value[open] != '(')
        {
            return false;
        }

        finding = new SqlFinding(SqlEvidence.SubqueryFragment, open, end);
        return true;
    }

    /// <summary>
    /// <c>WAITFOR DELAY '0:0:5'</c> (or <c>WAITFOR TIME</c>) anywhere in the value, even where what comes before
    /// does not parse (a User-Agent with the payload appended): SQL Server's sleep, and nothing but SQL writes it.
    /// </summary>
    public static bool TryFindWaitfor(ReadOnlySpan<char> value, out SqlFinding finding)
    {
        finding = default;
        var at = value.IndexOf("waitfor", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return false;
        }

        var tokenizer = new SqlTokenizer(value, at);
        var previous = default(SqlToken);
        var beforePrevious = default(SqlToken);
        while (tokenizer.Next(out var token))
        {
            if (token.Kind is SqlTokenKind.LineComment or SqlTokenKind.BlockComment)
            {
                continue;
            }

            if (token.Kind == SqlTokenKind.String && beforePrevious.Is(SqlKeyword.Waitfor)
                && (previous.Is(SqlKeyword.Delay) || IsWord(value, previous, "time")))
            {
                finding = new SqlFinding(SqlEvidence.TimeDelay, beforePrevious.Start, token.End);
                return true;
            }

            beforePrevious = previous;
            previous = token;
        }

        return false;
    }

    /// <summary>
    /// A MySQL versioned comment with a version number whose content opens a string it does not close
    /// (<c>1/*!1111'*/</c>): MySQL reads the content as SQL, so the quote opens a string that runs on over the
    /// comment's end into the query, while whatever skips comments sees no quote at all. Nothing but SQL writes
    /// <c>/*!</c> and a version number, and a mysqldump header quotes in pairs (<c>/*!40101 SET NAMES 'utf8' */</c>).
    /// One search per versioned comment, each from where the previous comment ended.
    /// </summary>
    public static bool TryFindHiddenQuote(ReadOnlySpan<char> value, out SqlFinding finding)
    {
        finding = default;
        var offset = 0;
        while (true)
        {
            var at = value[offset..].IndexOf("/*!", StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            var start = offset + at;
            var content = start + 3;
            var version = content;
            while (version < value.Length && char.IsAsciiDigit(value[version]))
            {
                version++;
            }

            var close = value[content..].IndexOf("*/", StringComparison.Ordinal);
            var end = close < 0 ? value.Length : content + close;
            var body = value[version..Math.Max(version, end)];
            if (version > content && (body.Count('\'') % 2 == 1 || body.Count('"') % 2 == 1))
            {
                finding = new SqlFinding(SqlEvidence.CommentObfuscation, start, close < 0 ? end : end + 2);
                return true;
            }

            offset = Math.Max(end, content);
        }
    }

    /// <summary>
    /// A comment that splits UNION or a statement keyword in two (<c>DR/**/OP</c>, <c>UN/**/ION</c>): a database
    /// reads the comment as a space and sees two meaningless words, but an application or filter that deletes
    /// comments before the query runs joins them into the keyword, and only to slip past such a filter does anyone
    /// write a keyword so. One search per comment, each from where the previous one ended; the words either side
    /// are read for at most a keyword's length.
    /// </summary>
    public static bool TryFindSplitKeyword(ReadOnlySpan<char> value, out SqlFinding finding)
    {
        finding = default;
        Span<char> joined = stackalloc char[MaxSplitKeywordLength];
        var offset = 0;
        while (true)
        {
            var at = value[offset..].IndexOf("/*", StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            var open = offset + at;
            var closeAt = value[(open + 2)..].IndexOf("*/", StringComparison.Ordinal);
            if (closeAt < 0)
            {
                return false;
            }

            var close = open + 2 + closeAt + 2;
            var left = open;
            while (left > 0 && open - left < MaxSplitKeywordLength && char.IsAsciiLetter(value[left - 1]))
            {
                left--;
            }

            var right = close;
            while (right < value.Length && right - close < MaxSplitKeywordLength && char.IsAsciiLetter(value[right]))
            {
                right++;
            }

            var length = (open - left) + (right - close);
            if (left < open && close < right && length <= MaxSplitKeywordLength
                && (left == 0 || !IsNameCharacter(value[left - 1])) && (right == value.Length || !IsNameCharacter(value[right])))
            {
                value[left..open].CopyTo(joined);
                value[close..right].CopyTo(joined[(open - left)..]);
                if (SqlKeywords.Find(joined[..length]) is SqlKeyword.Union or SqlKeyword.Select or SqlKeyword.Insert or SqlKeyword.Update
                    or SqlKeyword.Delete or SqlKeyword.Drop or SqlKeyword.Create or SqlKeyword.Alter or SqlKeyword.Truncate
                    or SqlKeyword.Exec or SqlKeyword.Execute or SqlKeyword.Declare or SqlKeyword.Waitfor or SqlKeyword.Shutdown)
                {
                    finding = new SqlFinding(SqlEvidence.CommentObfuscation, left, right);
                    return true;
                }
            }

            offset = close;
        }
    }

    private static bool IsWord(ReadOnlySpan<char> value, SqlToken token, string word) =>
        token.Kind == SqlTokenKind.Identifier && value.Slice(token.Start, token.Length).Equals(word, StringComparison.OrdinalIgnoreCase);

    private static bool IsNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';
}
