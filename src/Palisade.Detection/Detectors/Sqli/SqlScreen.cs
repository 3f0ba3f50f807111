using System.Buffers;
using System.Collections.Frozen;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Palisade.Detection.Parsing;

namespace Palisade.Detection.Detectors.Sqli;

/// <summary>
/// The pre-filter in front of the grammar: what every path to a finding needs. Without a quote (or a quote
/// look-alike), a comparison character (<c>= &lt; &gt; ~</c>), <c>@@</c>, <c>||</c> or <c>&amp;&amp;</c>, a
/// comment opener (<c>-- # /*</c>), a <c>$</c> or a backslash, a value can only reach a finding through a word the grammar knows: a keyword (<c>OR</c>, <c>UNION</c>, <c>LIKE</c>,
/// <c>TRUE</c>), a function (<c>SLEEP</c>, <c>CHAR</c>), a system name, or one of the few names the parser
/// compares by spelling. So a value without those characters and without such a word (a date, an e-mail, a
/// User-Agent, most sentences) is clean without being parsed.
/// </summary>
/// <remarks>
/// Words are found as the tokenizer finds them: runs of letters, digits, <c>_</c> and <c>$</c>; a run led by
/// a number is also read from where the number ends (<c>1.5e3union</c>, <c>0xbeunion</c>, <c>0xunion</c>, <c>1from</c>). Each word costs a
/// bitmap test on its first letter and length, and only then a case-insensitive lookup.
/// </remarks>
internal static class SqlScreen
{
    // The names the parser compares by spelling, besides its keyword, function and system-name tables.
    private static readonly string[] ParserWords =
    [
        "analyse", "analyze", "array", "bigint", "bool", "boolean", "case", "convert", "data", "database", "decimal",
        "double", "event", "first", "float", "float8", "full", "function", "global", "high_priority", "if", "iif",
        "immediate", "index", "infile", "inline", "int", "int2", "int4", "int8", "integer", "isnull", "last", "left",
        "like", "local", "log", "login", "natural", "notnull", "nulls", "number", "numeric", "offset", "over",
        "partition", "placing", "precision", "real", "right", "role", "row", "rows", "schema", "select", "separator",
        "sequence", "smallint", "start", "synonym", "sysobjects", "table", "tablespace", "temp", "temporary", "text",
        "time", "tran", "transaction", "trigger", "try", "union", "unique", "user", "varying", "view", "waitfor",
        "within", "xml",
    ];

    // Characters some path of the grammar reads without any word: strings and quoted names, comparisons (~ is PostgreSQL's regex match),
    // comments (#; "--", "/*", "@@", "||" and "&&" are searched apart: a versioned comment, a comment after a
    // parenthesis, a condition joined with || or &&, is evidence alone), dollar-quoted strings, backslash escapes; and the non-ASCII letters whose case
    // mapping is ASCII (ı, ſ, the Kelvin sign), which a case-insensitive lookup would match with a keyword.
    private static readonly SqlCharacterSet Strong = new(
        "'\"`=<>~$#\\\u2018\u2019\u201a\u201b\u2032\u02bc\uff07\u201c\u201d\u201e\u2033\uff02\u0131\u017f\u212a");

    private const string PairStartCharacters = "@-/|&";

    private static readonly SearchValues<char> PairStarts = SearchValues.Create(PairStartCharacters);

    private static readonly CharacterMask PairStartsMask = CharacterMask.Of(PairStartCharacters);

    // Plain text: words, spaces and sentence punctuation, without a parenthesis, an operator other than '-' or a
    // name qualifier other than '.'. Read as SQL, such text is only ever names, numbers and keywords, so only a
    // keyword, a system name, a function called without parentheses or a postfix null test can make it evidence;
    // other function names and the names the parser compares by spelling ("data", "time", "user", "first") need a
    // parenthesis or a keyword beside them. (Checked against the unscreened detector on generated plain text.)
    private const string PlainTextCharacters = " .,-!?_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private static readonly SearchValues<char> PlainText = SearchValues.Create(PlainTextCharacters);

    private static readonly CharacterMask PlainTextMask = CharacterMask.Of(PlainTextCharacters);

    // Word characters of ASCII 0-63 ('$', digits) and 64-127 (letters, '_') as bitmaps.
    private const ulong WordBitsLow = (1UL << '$') | (0x3FFUL << '0');
    private const ulong WordBitsHigh = (0x3FFFFFFUL << ('A' - 64)) | (1UL << ('_' - 64)) | (0x3FFFFFFUL << ('a' - 64));

    // 2^16 bits, one set per vocabulary word at its case-insensitive hash: a clear bit proves a word unknown
    // without the set lookup (about one unknown word in a hundred gets through to it).
    private const int FilterBits = 1 << 16;

    private static readonly FrozenSet<string> Vocabulary = BuildVocabulary();

    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> VocabularyLookup =
        Vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly ulong[] Filter = BuildFilter();

    // What plain text must hold to be read (see PlainText): keywords, system names, the functions SQL calls
    // without parentheses (CURRENT_DATE, SESSION_USER) and the postfix null tests (NOTNULL, ISNULL).
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> PlainTextLookup =
        BuildVocabulary(SqlKeywords.Names.Concat(SqlSystemObjects.Names)
            .Concat(SqlFunctions.Names.Where(name => SqlFunctions.IsNiladic(name) || name.EndsWith("_user", StringComparison.Ordinal)))
            .Concat(["notnull", "isnull"])).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// False when no reading of <paramref name="value"/> can find SQL in it: it has none of the characters
    /// the grammar reads without words, and no word the grammar knows.
    /// </summary>
    public static bool MayHoldSql(ReadOnlySpan<char> value) => MayHoldSql(value, default);

    /// <summary>As <see cref="MayHoldSql(ReadOnlySpan{char})"/>, with the value's characters when the engine computed them.</summary>
    public static bool MayHoldSql(ReadOnlySpan<char> value, in CharacterMask characters) =>
        Strong.ContainsAny(value, characters) || (characters.ContainsAny(value, PairStartsMask, PairStarts) && HasPairMarker(value))
        || (IsPlainText(value, characters) ? HasKnownWord(value, plainText: true) : HasKnownWord(value));

    private static bool IsPlainText(ReadOnlySpan<char> value, in CharacterMask characters) =>
        characters.IsKnown ? characters.IsWithin(PlainTextMask) : !value.ContainsAnyExcept(PlainText);

    /// <summary>True when the value holds <c>@@</c>, <c>--</c>, <c>/*</c>, <c>||</c> or <c>&amp;&amp;</c>.</summary>
    private static bool HasPairMarker(ReadOnlySpan<char> value)
    {
        var at = value.IndexOfAny(PairStarts);
        while (at >= 0 && at + 1 < value.Length)
        {
            var next = value[at + 1];
            if (next == (value[at] == '/' ? '*' : value[at]))
            {
                return true;
            }

            var more = value[(at + 1)..].IndexOfAny(PairStarts);
            at = more < 0 ? -1 : at + 1 + more;
        }

        return false;
    }

    /// <summary>True when <paramref name="value"/> holds a word of the keyword, function or system-name tables, or an <c>xp_</c> name.</summary>
    /// <param name="value">The value.</param>
    /// <param name="plainText">Count only keywords and system names (for values that are plain text).</param>
    public static bool HasKnownWord(ReadOnlySpan<char> value, bool plainText = false) =>
        value.Length <= 64 && Vector128.IsHardwareAccelerated ? HasKnownWordInShortValue(value, plainText) : HasKnownWordScanned(value, plainText);

    // The same words as HasKnownWordScanned, for a value of at most 64 characters: a bit per character says whether
    // it is a word character, classified eight at a time, and each word is then found with two bit counts instead
    // of a test per character.
    private static bool HasKnownWordInShortValue(ReadOnlySpan<char> value, bool plainText)
    {
        var mask = WordCharacterMask(value);
        while (mask != 0)
        {
            var start = BitOperations.TrailingZeroCount(mask);
            var length = BitOperations.TrailingZeroCount(~(mask >> start));
            if (IsKnownRun(value.Slice(start, length), plainText))
            {
                return true;
            }

            var end = start + length;
            mask = end >= 64 ? 0 : mask & (ulong.MaxValue << end);
        }

        return false;
    }

    // Bit i set when value[i] (i < 64) is a letter, digit, '_' or '$' (IsWordCharacter).
    private static ulong WordCharacterMask(ReadOnlySpan<char> value)
    {
        var mask = 0UL;
        var i = 0;
        ref var first = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(value));
        for (; i + Vector128<ushort>.Count <= value.Length; i += Vector128<ushort>.Count)
        {
            var chars = Vector128.LoadUnsafe(ref first, (nuint)i);

            // (c | 0x20) - 'a' <= 25 only for ASCII letters; the subtraction wraps everything else above 25.
            var letters = Vector128.LessThanOrEqual((chars | Vector128.Create((ushort)0x20)) - Vector128.Create((ushort)'a'), Vector128.Create((ushort)25));
            var digits = Vector128.LessThanOrEqual(chars - Vector128.Create((ushort)'0'), Vector128.Create((ushort)9));
            var marks = Vector128.Equals(chars, Vector128.Create((ushort)'_')) | Vector128.Equals(chars, Vector128.Create((ushort)'$'));
            mask |= (ulong)(letters | digits | marks).ExtractMostSignificantBits() << i;
        }

        for (; i < value.Length; i++)
        {
            mask |= IsWordCharacter(value[i]) ? 1UL << i : 0;
        }

        return mask;
    }

    // Any length: one scalar pass, since words are short and a vectorised search per word costs more than the word.
    private static bool HasKnownWordScanned(ReadOnlySpan<char> value, bool plainText)
    {
        var position = 0;
        while (position < value.Length)
        {
            while (position < value.Length && !IsWordCharacter(value[position]))
            {
                position++;
            }

            var start = position;
            while (position < value.Length && IsWordCharacter(value[position]))
            {
                position++;
            }

            if (position == start)
            {
                return false;
            }

            if (IsKnownRun(value[start..position], plainText))
            {
                return true;
            }
        }

        return false;
    }

    // A run glued to a non-ASCII letter is a longer word that no (ASCII) table holds, but read it anyway: a cheaper
    // superset than deciding where the tokenizer's word ends.
    private static bool IsKnownRun(ReadOnlySpan<char> run, bool plainText) =>
        char.IsAsciiDigit(run[0]) ? IsKnownAfterNumber(run, plainText) : IsKnown(run, plainText);

    // Letters, digits, '_' and '$': a bit per ASCII character.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsWordCharacter(char c) =>
        c < 128 && ((c < 64 ? WordBitsLow >> c : WordBitsHigh >> (c - 64)) & 1) != 0;

    // Where the tokenizer may end a number inside a run: after its digits (and an exponent), or after a hex or
    // binary literal. "1a" reads as one name, which no table holds.
    private static bool IsKnownAfterNumber(ReadOnlySpan<char> run, bool plainText)
    {
        var digits = FirstNonDigit(run);
        if (digits < 0)
        {
            return false;
        }

        if (IsKnown(run[digits..], plainText))
        {
            return true;
        }

        var rest = run[digits..];
        if ((rest[0] | 0x20) == 'e' && rest.Length > 1 && char.IsAsciiDigit(rest[1]))
        {
            var exponent = FirstNonDigit(rest[1..]);
            if (exponent >= 0 && IsKnown(rest[(1 + exponent)..], plainText))
            {
                return true;
            }
        }

        if (run.Length > 2 && run[0] == '0' && (run[1] | 0x20) is 'x' or 'b')
        {
            var body = run[2..];
            var end = (run[1] | 0x20) == 'x' ? body.IndexOfAnyExcept(HexDigits) : body.IndexOfAnyExcept('0', '1');
            // 0xUNION: SQL Server's empty binary constant before a keyword (end is 0) counts too.
            if (end >= 0 && IsKnown(body[end..], plainText))
            {
                return true;
            }
        }

        return false;
    }

    // Where the leading digits of a run end, or -1 when it is all digits. Runs are short: a plain loop costs less
    // than a vectorised search's call.
    private static int FirstNonDigit(ReadOnlySpan<char> run)
    {
        for (var i = 0; i < run.Length; i++)
        {
            if (!char.IsAsciiDigit(run[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private static bool IsKnown(ReadOnlySpan<char> word, bool plainText = false)
    {
        if (word.IsEmpty)
        {
            return false;
        }

        // "xp_" in any case; words are ASCII here, so folding with 0x20 is the case-insensitive comparison.
        if (word.Length > 3 && (word[0] | 0x20) == 'x' && (word[1] | 0x20) == 'p' && word[2] == '_')
        {
            return true;
        }

        var bit = Hash(word) & (FilterBits - 1);
        return (Filter[bit >> 6] & (1UL << (int)bit)) != 0 && VocabularyLookup.Contains(word) && (!plainText || PlainTextLookup.Contains(word));
    }

    // Case-insensitive for ASCII letters (| 0x20 folds them; digits, '_' and '$' are the same either way). Only the
    // length and the two characters at each end are mixed in: a constant cost per word however long it is, and
    // a word that shares all five with a vocabulary word only costs the exact lookup that follows.
    private static uint Hash(ReadOnlySpan<char> word)
    {
        var last = word.Length - 1;
        var key = Folded(word[0]) | (Folded(word[Math.Min(1, last)]) << 8) | (Folded(word[Math.Max(0, last - 1)]) << 16)
            | (Folded(word[last]) << 24) | ((ulong)(uint)word.Length << 32);

        // One multiply (Fibonacci hashing), its top bits: no chain of dependent multiplies per word.
        return (uint)((key * 0x9E3779B97F4A7C15UL) >> 40);
    }

    private static ulong Folded(char c) => (uint)(c | 0x20);

    private static FrozenSet<string> BuildVocabulary() =>
        BuildVocabulary(SqlKeywords.Names.Concat(SqlFunctions.Names).Concat(SqlSystemObjects.Names).Concat(ParserWords));

    private static FrozenSet<string> BuildVocabulary(IEnumerable<string> names)
    {
        var words = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            // Dotted names are read word by word (utl_http.request, microsoft.jet.oledb.4.0), and whole.
            words.Add(name);
            foreach (var part in name.Split('.', StringSplitOptions.RemoveEmptyEntries))
            {
                words.Add(part);
            }
        }

        return words.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    private static ulong[] BuildFilter()
    {
        var filter = new ulong[FilterBits / 64];
        foreach (var word in Vocabulary)
        {
            var bit = Hash(word) & (FilterBits - 1);
            filter[bit >> 6] |= 1UL << (int)bit;
        }

        return filter;
    }
}
